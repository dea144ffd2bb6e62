#Requires -Version 7.4
# The headline pipeline with the real agent CLIs: the Claude Code and Codex CLIs pinned in tests/e2e/package-lock.json
# (installed by `npm ci` when tests/e2e builds) run against the bundled mock provider, pointed at it by one preset:
#   Switch-AiEnvironment -Agent claude,codex -Preset mock
#   Invoke-AiTask -Agent claude,codex -Parallel -Prompt '...' | Export-Csv runs.csv
# and runs.csv, read back with Import-Csv, has one row per agent with the mock's reply and its token counts.
# Missing CLIs or a missing mock build fail these tests; they never skip.

BeforeAll {
    $repo = Split-Path -Parent $PSScriptRoot
    . (Join-Path $repo 'src' 'AiSwitch.MockProvider' 'MockProvider.ps1')
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    # The CLIs write their own state (~/.claude.json, ~/.claude/) under HOME: keep it in the test drive.
    $savedHome, $savedPath = $env:HOME, $env:PATH
    $env:HOME = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'user')).FullName
    $work = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'work')).FullName

    # The built-in agents claude and codex are found on PATH.
    $bin = Join-Path $repo 'tests' 'e2e' 'node_modules' '.bin'
    foreach ($cli in 'claude', 'codex') {
        if (-not (Test-Path -LiteralPath (Join-Path $bin $cli))) {
            throw "The $cli CLI is not installed in $bin. Run 'npm ci --no-audit --no-fund' in $(Join-Path $repo 'tests' 'e2e') (building the solution does it)."
        }
    }
    $env:PATH = $bin + [IO.Path]::PathSeparator + $env:PATH

    $module = Import-Module -Name (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -PassThru -ErrorAction Stop
    # The mock of the same build configuration as the module under test.
    $configuration = $module.ImplementingAssembly.GetCustomAttributes([Reflection.AssemblyConfigurationAttribute], $false)[0].Configuration
    $mock = Start-MockProvider (Join-Path $repo 'src' 'AiSwitch.MockProvider' 'bin' $configuration 'net8.0' 'aiswitch-mock.dll')
    $url = $mock.Url

    # One prefix for the preset; every model call on it gets this reply.
    $prefix = '/pester-headline'
    $reply = @{ text = 'headline reply from the mock'; usage = @{ inputTokens = 21; outputTokens = 9; cacheReadTokens = 4; cacheWriteTokens = 0; reasoningTokens = 0 } }
    Invoke-RestMethod -Method Post -Uri "$url/_mock/script" -ContentType 'application/json' -Body (
        @{ default = $true; prefix = $prefix; reply = $reply } | ConvertTo-Json -Depth 5) | Out-Null

    New-AiPreset -Name mock -Variable @{
        ANTHROPIC_BASE_URL = "$url$prefix"
        ANTHROPIC_API_KEY  = 'sk-pester-anthropic-0001'
        OPENAI_BASE_URL    = "$url$prefix/v1"
        OPENAI_API_KEY     = 'sk-pester-openai-0002'
    } | Out-Null
    $switched = Switch-AiEnvironment -Agent claude, codex -Preset mock

    $csv = Join-Path $TestDrive 'runs.csv'
    Invoke-AiTask -Agent claude, codex -Parallel -Prompt 'say hi to the headline' -WorkingDirectory $work -Confirm:$false -WarningAction SilentlyContinue |
        Export-Csv -LiteralPath $csv
    $rows = @(Import-Csv -LiteralPath $csv)
    # Invoke-RestMethod writes a JSON array as one object: unroll it.
    $requests = @(Invoke-RestMethod -Uri "$url/_mock/requests?prefix=$prefix" | ForEach-Object { $_ })
}

AfterAll {
    Stop-MockProvider $mock
    $env:HOME, $env:PATH = $savedHome, $savedPath
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Invoke-AiTask on the real Claude Code and Codex CLIs against the mock provider' {
    It 'switches both agents to the mock preset' {
        ($switched.Agent | Sort-Object) | Should -Be @('claude', 'codex')
        $switched.CurrentPreset | Should -Be @('mock', 'mock')
    }

    It 'exports one completed row per agent with the mock''s reply' {
        ($rows.Agent | Sort-Object) | Should -Be @('claude', 'codex')
        foreach ($row in $rows) {
            $row.Status | Should -Be 'Completed' -Because "$($row.Agent) failed: $($row.Error)"
            $row.Success | Should -Be 'True'
            $row.Output | Should -Be 'headline reply from the mock'
            $row.Attempt | Should -Be '1'
        }
        # One batch: both rows carry its id, each TaskId is <batch>.<agent>.
        @($rows.BatchId | Sort-Object -Unique) | Should -HaveCount 1
        foreach ($row in $rows) { $row.TaskId | Should -Be "$($row.BatchId).$($row.Agent)" }
    }

    It 'exports each agent''s exact token counts, in its documented convention' {
        # Claude Code's input_tokens leaves cached tokens out; Codex's includes them (docs/adapters/claude-code.md, codex.md).
        $claude = $rows | Where-Object Agent -eq 'claude'
        $codex = $rows | Where-Object Agent -eq 'codex'
        ($claude.InputTokens, $claude.OutputTokens, $claude.CacheReadTokens, $claude.CacheWriteTokens) | Should -Be @('21', '9', '4', '0')
        ($codex.InputTokens, $codex.OutputTokens, $codex.CacheReadTokens, $codex.CacheWriteTokens) | Should -Be @('25', '9', '4', '0')
    }

    It 'reached the mock from each CLI with the preset''s URL and key' {
        $anthropic = @($requests | Where-Object api -eq 'AnthropicMessages')
        $openai = @($requests | Where-Object api -eq 'OpenAiResponses')
        $anthropic | Should -HaveCount 1
        $openai | Should -HaveCount 1
        $anthropic[0].lastUserText | Should -Match 'say hi to the headline'
        $openai[0].lastUserText | Should -Match 'say hi to the headline'
        # The mock keeps the last 4 characters of a key.
        $anthropic[0].headers.'x-api-key' | Should -Be '***0001'
        $openai[0].headers.authorization | Should -Be 'Bearer ***0002'
    }
}
