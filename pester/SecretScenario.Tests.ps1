#Requires -Version 7.4
# The secret scenario through the cmdlets: secrets inline, by env:, by file: and by -Variable, given to an agent that
# prints its environment on stdout and stderr and fails. Every object the cmdlets write (as a table, a list, JSON and
# CSV), every error record, and every file under the home must hold none of the values, except the two the user stored
# on purpose, each in its one documented file (docs/security.md). The agent's dump really reaches the results, masked.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -ErrorAction Stop
    $script:inline = 'sk-inline-Pq72WsXe09RtYu3v'
    $script:fromEnv = 'env-secret-Gb41NmKo88LpZx'
    $script:fromFile = 'file-secret-Hc52VbJi77QwEr'
    $script:fromVar = 'var-secret-Td63CxFu66AsDf'
    $script:secrets = $inline, $fromEnv, $fromFile, $fromVar
    $env:SCENARIO_SOURCE = $fromEnv
    $keyFile = Join-Path $TestDrive 'gemini.key'
    Set-Content -LiteralPath $keyFile -Value $fromFile
    $agent = Join-Path $TestDrive 'echo-env-agent.sh'
    Set-Content -LiteralPath $agent -Value "#!/bin/sh`necho 'agent crashed; its environment was:'`nenv`nenv >&2`nexit 1"
    chmod 700 $agent

    $script:seen = [Text.StringBuilder]::new()
    function See([string] $what, $objects) {
        foreach ($o in @($objects)) {
            [void] $seen.AppendLine("--- $what").AppendLine(($o | Format-Table | Out-String -Width 300)).AppendLine(($o | Format-List | Out-String -Width 300))
            if ($o -is [Management.Automation.ErrorRecord]) {
                for ($e = $o.Exception; $e; $e = $e.InnerException) { [void] $seen.AppendLine($e.Message) }
                [void] $seen.AppendLine("$($o.TargetObject) $($o.ErrorDetails)")
            }
            else {
                [void] $seen.AppendLine(($o | ConvertTo-Json -Depth 5)).AppendLine((@($o) | ConvertTo-Csv | Out-String))
            }
        }
    }

    Register-AiAgent -Name echo -Adapter claude-code -Command $agent | Out-Null
    New-AiPreset -Name mixed -Variable @{
        OPENAI_BASE_URL = 'https://api.example/v1'; OPENAI_API_KEY = $inline
        ANTHROPIC_AUTH_TOKEN = 'env:SCENARIO_SOURCE'; GEMINI_API_KEY = "file:$keyFile"
    } | Out-Null
    See 'Switch-AiEnvironment' (Switch-AiEnvironment -Agent echo -Preset mixed -Variable @{ EXTRA_SETTING = $fromVar })
    $results = Invoke-AiTask -Agent echo -Prompt 'print your environment' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
    $script:results = $results
    See 'Invoke-AiTask' $results
    See 'Invoke-AiTask errors' $failures
    See 'Get-AiAgent' (Get-AiAgent -Name echo)
    See 'Get-AiTokenUsage' (Get-AiTokenUsage)
    See 'Get-AiEnvironmentSnapshot' (Get-AiEnvironmentSnapshot -Agent echo)
}

AfterAll {
    Remove-Item Env:SCENARIO_SOURCE -ErrorAction Ignore
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Secrets given to a failing agent that prints its environment' {
    It 'reached the agent, whose dump comes back masked' {
        $results.Status | Should -Be 'Failed'
        $log = Get-Content -Raw -LiteralPath (Join-Path $env:AISWITCH_HOME 'logs/agents/echo.log')
        $log | Should -Match ([regex]::Escape('OPENAI_BASE_URL=https://api.example/v1'))
        $log | Should -Match ([regex]::Escape('EXTRA_SETTING=****'))
        $log | Should -Match ([regex]::Escape('GEMINI_API_KEY=****'))
    }

    It 'appear in no object, view, JSON, CSV or error record' {
        $text = $seen.ToString()
        foreach ($secret in $secrets) { $text.Contains($secret) | Should -BeFalse -Because "$secret must not be shown" }
    }

    It 'appear in no file under the home but the two the user stored on purpose' {
        $kept = @{
            # The inline key lives in its preset and, as the preset has it, in the agent's record; the literal
            # -Variable only in the record. Neither is a resolved reference.
            $inline  = @('config/presets/mixed.yaml', 'state/environments/echo.json', 'state/environments/echo.json.bak')
            $fromVar = @('state/environments/echo.json', 'state/environments/echo.json.bak')
        }
        $found = foreach ($file in Get-ChildItem -LiteralPath $env:AISWITCH_HOME -Recurse -File -Force) {
            $relative = [IO.Path]::GetRelativePath($env:AISWITCH_HOME, $file.FullName)
            $content = [IO.File]::ReadAllText($file.FullName)
            foreach ($secret in $secrets) {
                if ($content.Contains($secret) -and $relative -notin $kept[$secret]) { "$relative holds $secret" }
            }
        }
        $found | Should -BeNullOrEmpty
        Test-Path (Join-Path $env:AISWITCH_HOME 'logs/agents/echo.log') | Should -BeTrue
    }
}
