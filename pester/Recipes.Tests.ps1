#Requires -Version 7.4
# The recipes in docs/recipes run as written, the way CI runs them: each script (quoted exactly by its page) in a fresh
# `pwsh -NonInteractive -File`, the Pester recipe through `Invoke-Pester -CI`, with `Import-Module AiSwitch` and
# `Invoke-Pester` finding the built module and the pinned Pester. The temporary home defines claude and codex as the
# in-process SDK agents and gemini as one whose provider refuses it; every preset points at the mock provider under its
# own prefix, so the requests show which preset reached the agents. Each recipe has cases that must exit non-zero.

BeforeAll {
    $repo = Split-Path -Parent $PSScriptRoot
    $recipes = Join-Path $repo 'docs' 'recipes'
    . (Join-Path $PSScriptRoot 'Support/Pwsh.ps1')
    . (Join-Path $repo 'src' 'AiSwitch.MockProvider' 'MockProvider.ps1')

    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    $module = Import-Module -Name (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -PassThru -ErrorAction Stop
    $configuration = $module.ImplementingAssembly.GetCustomAttributes([Reflection.AssemblyConfigurationAttribute], $false)[0].Configuration
    $mock = Start-MockProvider (Join-Path $repo 'src' 'AiSwitch.MockProvider' 'bin' $configuration 'net8.0' 'aiswitch-mock.dll')
    $url = $mock.Url

    # The module folder is named AiSwitch, so its parent on PSModulePath makes `Import-Module AiSwitch` find it; Pester
    # (from the NuGet cache, where its folder is named tools) gets a folder named Pester.
    $moduleRoot = Split-Path -Parent ([IO.Path]::GetFullPath($env:AISWITCH_MODULE_PATH))
    $otherModules = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'modules')
    Copy-Item -LiteralPath (Get-Module Pester).ModuleBase -Destination (Join-Path $otherModules 'Pester') -Recurse
    $modulePath = @($moduleRoot, $otherModules.FullName, $env:PSModulePath) -join [IO.Path]::PathSeparator

    $replies = @{
        standby = 'standby reply: the recipe did not switch the agents'
        ops     = 'The connection pool is exhausted: raise max_connections or fix the leak in OrderRepository.'
        half    = 'The database ran out of connections.'
        gpt4    = 'src/orders.py:42 divides by the item count, which can be 0.'
    }
    # A preset per prefix of the mock; `half` sends the OpenAI agent (codex) to /down, where the key is refused.
    function New-MockPreset([string] $Name, [string] $AnthropicPrefix = "/$Name", [string] $OpenAiPrefix = "/$Name") {
        New-AiPreset -Name $Name -Force -Variable @{
            ANTHROPIC_BASE_URL = "$url$AnthropicPrefix"
            ANTHROPIC_API_KEY  = 'sk-recipes-anthropic-0001'
            ANTHROPIC_MODEL    = 'claude-recipes'
            OPENAI_BASE_URL    = "$url$OpenAiPrefix/v1"
            OPENAI_API_KEY     = 'sk-recipes-openai-0002'
            OPENAI_MODEL       = 'gpt-recipes'
        } | Out-Null
    }
    foreach ($name in 'standby', 'ops', 'gpt4', 'kimi', 'down') { New-MockPreset $name }
    New-MockPreset half -OpenAiPrefix '/down'
    # The agents' own presets lead to /standby (or /down), so an answer from the recipe's preset proves it switched them.
    Register-AiAgent -Name claude -Adapter anthropic -Preset standby -Force | Out-Null
    Register-AiAgent -Name codex -Adapter openai -Preset standby -Force | Out-Null
    # The fallback speaks OpenAI: under the preset 'half' it goes to /down like codex, so both fail there.
    Register-AiAgent -Name gemini -Adapter openai -Preset down -Force | Out-Null

    # Forgets earlier replies and requests; every prefix gets its default reply again, /down a refused key.
    function Reset-Mock {
        Invoke-RestMethod -Method Post -Uri "$url/_mock/reset" | Out-Null
        foreach ($prefix in $replies.Keys) {
            Invoke-MockScript @{ default = $true; prefix = "/$prefix"; reply = @{ text = $replies[$prefix] } }
        }
        Invoke-MockScript @{ default = $true; prefix = '/down'; reply = @{ statusCode = 401 } }
    }

    function Invoke-MockScript([hashtable] $Body) {
        Invoke-RestMethod -Method Post -Uri "$url/_mock/script" -ContentType 'application/json' -Body ($Body | ConvertTo-Json -Depth 5) | Out-Null
    }

    # The model calls the mock has recorded (HEAD checks left out); Invoke-RestMethod writes a JSON array as one object.
    function Get-MockRequest {
        @(Invoke-RestMethod -Uri "$url/_mock/requests" | ForEach-Object { $_ } | Where-Object api -ne 'Head')
    }

    # A child `pwsh -NoProfile -NonInteractive` with these arguments, in $WorkingDirectory, seeing the built module.
    function Invoke-Recipe([string[]] $Arguments, [string] $WorkingDirectory = $TestDrive) {
        $start = New-PwshStartInfo $Arguments
        $start.Environment['PSModulePath'] = $modulePath
        $start.WorkingDirectory = $WorkingDirectory
        $run = Invoke-CapturedProcess $start
        $run | Add-Member -NotePropertyName All -NotePropertyValue ($run.Output + $run.Error) -PassThru
    }

    function Get-Because($Run) { "it exited $($Run.ExitCode); stdout:`n$($Run.Output)`nstderr:`n$($Run.Error)" }
}

AfterAll {
    Stop-MockProvider $mock
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'each recipe page quotes its script exactly' {
    It '<Page> quotes <Script>' -ForEach @(
        @{ Page = 'runbook.md'; Script = 'runbook.ps1' }
        @{ Page = 'scheduled-task.md'; Script = 'nightly-review.ps1' }
        @{ Page = 'pester-check-an-answer.md'; Script = 'Agent.Tests.ps1' }
    ) {
        $page = (Get-Content -Raw -LiteralPath (Join-Path $recipes $Page)) -replace "`r`n", "`n"
        $script = (Get-Content -Raw -LiteralPath (Join-Path $recipes $Script)) -replace "`r`n", "`n"
        $page.Contains("``````powershell`n$script``````") | Should -BeTrue -Because "docs/recipes/$Page must show docs/recipes/$Script as it is, in a powershell block"
    }
}

Describe 'runbook.ps1' {
    BeforeAll {
        $runbook = Join-Path $recipes 'runbook.ps1'
        $log = Join-Path $TestDrive 'error.log'
        @(
            '2026-12-07T02:14:09Z ERROR OrderRepository: too many connections (pool 50/50)'
            '2026-12-07T02:14:10Z ERROR checkout: request failed after 30 s'
        ) | Set-Content -LiteralPath $log
    }

    Context 'both agents answer' {
        BeforeAll {
            Reset-Mock
            $run = Invoke-Recipe @('-File', $runbook, '-LogPath', $log)
            $requests = Get-MockRequest
        }

        It 'exits 0 and prints the diagnosis both agreed on' {
            $run.ExitCode | Should -Be 0 -Because (Get-Because $run)
            $run.Output.Trim() | Should -Match "^Diagnosis \((claude|codex), agreement 1\): $([regex]::Escape($replies.ops))$"
        }

        It 'sent the log''s last lines to both agents through its default preset, ops' {
            $requests | Should -HaveCount 2
            ($requests.api | Sort-Object) | Should -Be @('AnthropicMessages', 'OpenAiChatCompletions')
            foreach ($request in $requests) {
                $request.prefix | Should -Be '/ops'
                $request.lastUserText | Should -Match 'too many connections \(pool 50/50\)'
            }
        }
    }

    Context 'one agent fails' {
        BeforeAll {
            Reset-Mock
            $run = Invoke-Recipe @('-File', $runbook, '-LogPath', $log, '-Preset', 'half')
        }

        It 'exits 0 with the other agent''s diagnosis and a warning naming the failed one' {
            $run.ExitCode | Should -Be 0 -Because (Get-Because $run)
            $run.Output | Should -Match "Diagnosis \(claude, agreement 0\.5\): $([regex]::Escape($replies.half))"
            $run.All | Should -Match 'WARNING: codex gave no diagnosis: Failed AgentAuthenticationFailed .*HTTP 401'
        }
    }

    Context 'no agent answers' {
        BeforeAll {
            Reset-Mock
            $run = Invoke-Recipe @('-File', $runbook, '-LogPath', $log, '-Preset', 'down')
        }

        It 'exits 1 and says there is no diagnosis' {
            $run.ExitCode | Should -Be 1 -Because (Get-Because $run)
            $run.All | Should -Match "WARNING: No diagnosis of $([regex]::Escape($log)) from claude, codex \(preset down\)"
            $run.Output | Should -Not -Match 'Diagnosis \('
        }
    }

    Context 'an unknown preset' {
        BeforeAll {
            Reset-Mock
            $run = Invoke-Recipe @('-File', $runbook, '-LogPath', $log, '-Preset', 'nosuch')
        }

        It 'exits 1 before asking any agent, with the error naming the preset' {
            $run.ExitCode | Should -Be 1 -Because (Get-Because $run)
            $run.Error | Should -Match "'nosuch'"
            Get-MockRequest | Should -BeNullOrEmpty
        }
    }
}

Describe 'nightly-review.ps1 (scheduled task)' {
    BeforeAll {
        $review = Join-Path $recipes 'nightly-review.ps1'
        # Isolated mode gives each agent a git worktree of the repository's HEAD.
        if (-not (Get-Command git -CommandType Application -ErrorAction Ignore)) {
            throw 'git is not on PATH; the scheduled-task recipe (-CoordinationMode Isolated) needs it. Install git.'
        }
        $app = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'app')).FullName
        Set-Content -LiteralPath (Join-Path $app 'orders.py') -Value 'def average(total, count): return total / count'
        git -C $app init --quiet
        git -C $app -c user.name=test -c user.email=test@example.com add orders.py
        git -C $app -c user.name=test -c user.email=test@example.com commit --quiet -m 'orders'
        if ($LASTEXITCODE -ne 0) { throw "git could not commit in $app (exit code $LASTEXITCODE)." }
    }

    Context 'both agents review' {
        BeforeAll {
            Reset-Mock
            $out = Join-Path $TestDrive 'reviews-ok'
            $run = Invoke-Recipe @('-File', $review, '-Repository', $app, '-OutFolder', $out)
            $csv = @(Get-ChildItem -LiteralPath $out -Filter *.csv -ErrorAction Ignore)
            $rows = @($csv | Import-Csv)
        }

        It 'exits 0 and says where the reviews are' {
            $run.ExitCode | Should -Be 0 -Because (Get-Because $run)
            $run.Output | Should -Match "2 of 2 reviews saved in $([regex]::Escape($out))"
        }

        It 'leaves one CSV, named by the date, with each agent''s review from the preset gpt4' {
            $csv | Should -HaveCount 1
            $csv[0].Name | Should -Match '^\d{4}-\d{2}-\d{2}\.csv$'
            ($rows.Agent | Sort-Object) | Should -Be @('claude', 'codex')
            foreach ($row in $rows) {
                $row.Status | Should -Be 'Completed' -Because $row.Error
                $row.Output | Should -Be $replies.gpt4
                $row.Prompt | Should -Be 'Review the last 24 hours of commits for bugs; list file:line and why.'
            }
        }
    }

    Context 'one agent and its fallback fail' {
        BeforeAll {
            Reset-Mock
            $out = Join-Path $TestDrive 'reviews-half'
            $run = Invoke-Recipe @('-File', $review, '-Repository', $app, '-OutFolder', $out, '-Preset', 'half')
            $rows = @(Get-ChildItem -LiteralPath $out -Filter *.csv -ErrorAction Ignore | Import-Csv)
        }

        It 'exits 1 and names the failure' {
            $run.ExitCode | Should -Be 1 -Because (Get-Because $run)
            $run.Output | Should -Match '1 of 2 reviews saved in'
            $run.All | Should -Match 'WARNING: \w+ failed: Failed AgentAuthenticationFailed'
        }

        It 'still saves both rows, the failed one with its error' {
            $rows | Should -HaveCount 2
            ($rows | Where-Object Agent -eq 'claude').Output | Should -Be $replies.half
            $failed = @($rows | Where-Object Success -ne 'True')
            $failed | Should -HaveCount 1
            $failed[0].ErrorId | Should -Be 'AgentAuthenticationFailed'
            $failed[0].Error | Should -Match 'HTTP 401'
        }
    }

    Context 'an unknown preset' {
        BeforeAll {
            Reset-Mock
            $out = Join-Path $TestDrive 'reviews-none'
            $run = Invoke-Recipe @('-File', $review, '-Repository', $app, '-OutFolder', $out, '-Preset', 'nosuch')
        }

        It 'exits 1 before anything runs or is written' {
            $run.ExitCode | Should -Be 1 -Because (Get-Because $run)
            $run.Error | Should -Match "'nosuch'"
            $out | Should -Not -Exist
            Get-MockRequest | Should -BeNullOrEmpty
        }
    }
}

Describe 'Agent.Tests.ps1 (the Pester recipe) under Invoke-Pester -CI' {
    BeforeAll {
        $command = 'Invoke-Pester -Path ./Agent.Tests.ps1 -CI'
        # Each run in a folder of its own, where -CI also leaves testResults.xml.
        function Invoke-AgentTests([string] $Name, [string[]] $Answers) {
            Reset-Mock
            Invoke-MockScript @{ prefix = '/kimi'; replies = @($Answers | ForEach-Object { @{ text = $_ } }) }
            $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive $Name)
            Copy-Item -LiteralPath (Join-Path $recipes 'Agent.Tests.ps1') -Destination $folder
            Invoke-Recipe @('-Command', $command) -WorkingDirectory $folder.FullName
        }
    }

    It 'is the command its page gives' {
        Get-Content -Raw -LiteralPath (Join-Path $recipes 'pester-check-an-answer.md') | Should -Match ([regex]::Escape("pwsh -NonInteractive -Command '$command'"))
    }

    Context 'the agents answer right' {
        BeforeAll {
            $run = Invoke-AgentTests 'agent-tests-pass' @('BUG: it subtracts.', '391', '391')
            $requests = Get-MockRequest
        }

        It 'passes both tests and exits 0' {
            $run.ExitCode | Should -Be 0 -Because (Get-Because $run)
            $run.Output | Should -Match 'Tests Passed: 2, Failed: 0'
            Join-Path $TestDrive 'agent-tests-pass' 'testResults.xml' | Should -Exist
        }

        It 'asked through the preset kimi' {
            $requests | Should -HaveCount 3
            $requests.prefix | Sort-Object -Unique | Should -Be '/kimi'
        }
    }

    Context 'an agent answers wrong' {
        BeforeAll {
            $run = Invoke-AgentTests 'agent-tests-fail' @('OK', '391', '391')
        }

        It 'fails that test and exits non-zero' {
            $run.ExitCode | Should -Be 1 -Because (Get-Because $run)
            $run.Output | Should -Match 'Tests Passed: 1, Failed: 1'
            $run.Output | Should -Match 'finds the planted bug and stays within budget'
        }
    }
}
