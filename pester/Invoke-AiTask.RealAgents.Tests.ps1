#Requires -Version 7.4
# The headline pipeline with the real agent CLIs: the Claude Code and Codex CLIs pinned in tests/e2e/package-lock.json
# (installed by `npm ci` when tests/e2e builds) run against the bundled mock provider, pointed at it by one preset:
#   Switch-AiEnvironment -Agent claude,codex -Preset mock
#   Invoke-AiTask -Agent claude,codex -Parallel -Prompt '...' | Export-Csv runs.csv
# and runs.csv, read back with Import-Csv, has one row per agent with the mock's reply and its token counts.
# Missing CLIs or a missing mock build fail these tests; they never skip.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/MockProvider.ps1')
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    # The built-in agents claude and codex are found on PATH.
    $saved = Initialize-AiRealAgentCli
    $work = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'work')).FullName
    Import-Module -Name (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -ErrorAction Stop
    $mock = Start-AiMockProvider

    # One prefix for the preset; every model call on it gets this reply.
    $prefix = '/pester-headline'
    Set-AiMockReply $mock $prefix @{ text = 'headline reply from the mock'; usage = @{ inputTokens = 21; outputTokens = 9; cacheReadTokens = 4; cacheWriteTokens = 0; reasoningTokens = 0 } }
    New-AiMockPreset $mock 'mock' $prefix | Out-Null
    $switched = Switch-AiEnvironment -Agent claude, codex -Preset mock

    $csv = Join-Path $TestDrive 'runs.csv'
    Invoke-AiTask -Agent claude, codex -Parallel -Prompt 'say hi to the headline' -WorkingDirectory $work -Confirm:$false -WarningAction SilentlyContinue |
        Export-Csv -LiteralPath $csv
    $rows = @(Import-Csv -LiteralPath $csv)
    $requests = Get-AiMockRequest $mock $prefix
}

AfterAll {
    Stop-MockProvider $mock
    Restore-AiRealAgentCli $saved
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

    It 'exports each agent''s exact token counts, with one meaning per field' {
        # Input is all input, cached included, whatever the agent (docs/usage.md): 21 uncached + 4 cache reads.
        $claude = $rows | Where-Object Agent -eq 'claude'
        $codex = $rows | Where-Object Agent -eq 'codex'
        ($claude.InputTokens, $claude.OutputTokens, $claude.CacheReadTokens, $claude.CacheWriteTokens) | Should -Be @('25', '9', '4', '0')
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

Describe 'The preset an agent gets, and a failure''s cause, on the real Claude Code CLI' {
    BeforeAll {
        # An agent of its own: no switched environment, no preset in its definition.
        Register-AiAgent -Name claude-plain -Adapter claude-code -Command claude | Out-Null
    }

    AfterEach {
        foreach ($name in 'ANTHROPIC_BASE_URL', 'ANTHROPIC_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_API_KEY', 'AISWITCH_PRESET', 'AISWITCH_MANAGED_VARIABLES') {
            Remove-Item -LiteralPath "Env:$name" -ErrorAction Ignore
        }
    }

    It 'fails "Not logged in" as AgentAuthenticationFailed, with a real model name, when no preset names a provider' {
        $result = Invoke-AiTask -Agent claude-plain -Prompt 'who answers?' -WorkingDirectory $work -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        $result.Status | Should -Be 'Failed'
        $result.Error | Should -Match 'Not logged in'
        $result.ErrorId | Should -Be 'AgentAuthenticationFailed'
        $result.Model | Should -Not -Be '<synthetic>'
        $problems[0].FullyQualifiedErrorId | Should -Be 'AgentAuthenticationFailed,AiSwitch.PowerShell.Commands.InvokeAiTaskCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
    }

    It 'runs with the preset Use-AiPreset applied to this session' {
        Use-AiPreset mock | Out-Null
        $result = Invoke-AiTask -Agent claude-plain -Prompt 'session preset' -WorkingDirectory $work -Confirm:$false
        $result.Status | Should -Be 'Completed' -Because $result.Error
        ($result.Output, $result.Preset) | Should -Be @('headline reply from the mock', 'mock')
    }

    It 'runs with Invoke-AiTask -Preset for this run only' {
        $result = Invoke-AiTask -Agent claude-plain -Prompt 'task preset' -Preset mock -WorkingDirectory $work -Confirm:$false
        $result.Status | Should -Be 'Completed' -Because $result.Error
        $result.Preset | Should -Be 'mock'
        (Invoke-AiTask -Agent claude-plain -Prompt 'no preset' -WorkingDirectory $work -Confirm:$false -ErrorAction SilentlyContinue).ErrorId |
            Should -Be 'AgentAuthenticationFailed'
    }

    It 'shows Claude''s cost rounded, not as the JavaScript double it arrives as' {
        $claude = $rows | Where-Object Agent -eq 'claude'
        $claude.CostUsd | Should -Not -BeNullOrEmpty
        $claude.CostUsd | Should -Match '^0\.\d{1,10}$'
        ($claude | ConvertTo-Json) | Should -Not -Match '9999999|0000001'
    }

    It 'writes its enums as names in ConvertTo-Json' {
        $result = Invoke-AiTask -Agent claude -Prompt 'json' -WorkingDirectory $work -Confirm:$false -WarningAction SilentlyContinue
        $parsed = $result | ConvertTo-Json | ConvertFrom-Json
        ($parsed.Status, $parsed.CostSource) | Should -Be @('Completed', 'Agent')
    }
}

Describe 'Stop-Job and Remove-Job -Force on an Invoke-AiTask -AsJob job whose agent hangs' {
    BeforeAll {
        # The mock never answers under this prefix: claude waits until it is killed.
        $stalledPrefix = '/pester-stalled'
        Set-AiMockReply $mock $stalledPrefix @{ fault = 'Stall' }
        New-AiMockPreset $mock 'stalled' $stalledPrefix | Out-Null
        Register-AiAgent -Name claude-stalled -Adapter claude-code -Command claude -Preset stalled | Out-Null

        # A runspace of its own (its own session and job list) running the job, once claude has asked the stalled mock;
        # returns the runspace and the pid of claude's process. Nothing to await across processes: the mock is asked
        # until claude's request has arrived (60 s at most).
        function Start-StalledJob {
            $runspace = [runspacefactory]::CreateRunspace()
            $runspace.Open()
            $ps = [powershell]::Create()
            $ps.Runspace = $runspace
            $null = $ps.AddScript({
                    param($Manifest, $Url, $Prefix, $Work)
                    Import-Module -Name $Manifest
                    function Get-Asked { @(Invoke-RestMethod -Uri "$Url/_mock/requests?prefix=$Prefix" | ForEach-Object { $_ } | Where-Object api -eq 'AnthropicMessages').Count }
                    $asked = Get-Asked
                    $global:job = Invoke-AiTask -Agent claude-stalled -Prompt 'wait forever' -WorkingDirectory $Work -AsJob -Confirm:$false
                    $deadline = [DateTime]::UtcNow.AddSeconds(60)
                    while ((Get-Asked) -le $asked) {
                        if ([DateTime]::UtcNow -gt $deadline -or $global:job.State -ne 'Running') {
                            throw "claude never asked the stalled mock (job $($global:job.State): $($global:job | Receive-Job -Keep -ErrorAction SilentlyContinue | Out-String))."
                        }
                        Start-Sleep -Milliseconds 200
                    }
                    (Get-AiAgent claude-stalled).Pid
                }.ToString()).AddArgument((Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1')).AddArgument($mock.Url).AddArgument($stalledPrefix).AddArgument($work)
            $agentPid = @($ps.Invoke())[0]
            $ps.Dispose()
            $agentPid | Should -Not -BeNullOrEmpty
            Get-Process -Id $agentPid | Should -Not -BeNullOrEmpty
            $runspace, $agentPid
        }

        # Runs $Script in the runspace; its output, or $null when it has not returned within 10 s.
        function Invoke-InTime($Runspace, [string] $Script) {
            $ps = [powershell]::Create()
            $ps.Runspace = $Runspace
            $handle = $ps.AddScript($Script).BeginInvoke()
            if (-not $handle.AsyncWaitHandle.WaitOne([timespan]::FromSeconds(10))) {
                $null = $ps.BeginStop($null, $null)
                return $null
            }
            $output = $ps.EndInvoke($handle)
            $ps.Dispose()
            , @($output)
        }
    }

    It 'Stop-Job returns, the job is Stopped and the claude process is gone' {
        $runspace, $agentPid = Start-StalledJob
        try {
            $state = Invoke-InTime $runspace 'Stop-Job -Job $global:job; $global:job.State.ToString()'
            $state | Should -Not -BeNullOrEmpty -Because 'Stop-Job returns once the job has raised StopJobCompleted'
            $state | Should -Be 'Stopped'
            Get-Process -Id $agentPid -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
        finally { $runspace.Dispose() }
    }

    It 'Remove-Job -Force returns, the job is gone and the claude process too' {
        $runspace, $agentPid = Start-StalledJob
        try {
            $left = Invoke-InTime $runspace 'Remove-Job -Job $global:job -Force; @(Get-Job).Count'
            $left | Should -Not -BeNullOrEmpty -Because 'Remove-Job -Force returns once the job has stopped'
            $left | Should -Be 0
            Get-Process -Id $agentPid -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
        finally { $runspace.Dispose() }
    }
}
