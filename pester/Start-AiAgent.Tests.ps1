#Requires -Modules Pester
# Start-AiAgent: starts agents in this runspace; a missing or non-executable command is a clear error naming the agent.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module $env:AISWITCH_MODULE_PATH -Force
    Register-AiAgent -Name saa-missing -Adapter codex -Command (Join-Path $TestDrive 'no-such-codex') | Out-Null
    $plain = Join-Path $TestDrive 'plain-codex'
    Set-Content -Path $plain -Value "#!/bin/sh`necho hi"
    Register-AiAgent -Name saa-plain -Adapter codex -Command $plain | Out-Null
}

Describe 'Start-AiAgent' {
    It 'fails for a missing command, naming the agent, and leaves it in Error' {
        { Start-AiAgent saa-missing -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgentCommandNotFound,AiSwitch.PowerShell.Commands.StartAiAgentCommand' -ExpectedMessage "*saa-missing*"
        $agent = Get-AiAgent saa-missing
        $agent.Status.ToString() | Should -Be 'Error'
        $agent.LastError | Should -Not -BeNullOrEmpty
    }

    It 'fails for a command that is not executable' {
        { Start-AiAgent saa-plain -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgentInitializationFailed,AiSwitch.PowerShell.Commands.StartAiAgentCommand' -ExpectedMessage '*saa-plain*'
    } -Skip:$IsWindows

    It 'reports each failed name and goes on with the pipeline' {
        'saa-nope', 'saa-missing' | Start-AiAgent -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'AgentNotFound,AiSwitch.PowerShell.Commands.StartAiAgentCommand'
        $failures[1].FullyQualifiedErrorId | Should -Be 'AgentCommandNotFound,AiSwitch.PowerShell.Commands.StartAiAgentCommand'
    }

    It 'reports an unknown preset' {
        Register-AiAgent -Name saa-preset -Adapter codex -Command (Get-Command sh).Source | Out-Null
        { Start-AiAgent saa-preset -Preset saa-no-such-preset -ErrorAction Stop } |
            Should -Throw -ErrorId '*,AiSwitch.PowerShell.Commands.StartAiAgentCommand'
    } -Skip:$IsWindows

    It 'runs the agent''s tasks with -Preset, over the preset this session applied' {
        . (Join-Path $PSScriptRoot 'Support/ReferenceAgent.ps1')
        New-AiPreset -Name saa-start -Variable @{ SAA_MARK = 'saa-start' } | Out-Null
        New-AiPreset -Name saa-session -Variable @{ SAA_MARK = 'saa-session' } | Out-Null
        Register-ReferenceAgent saa-echo '--echo-env', 'SAA_MARK' | Out-Null
        $switch = Use-AiPreset saa-session
        try {
            (Start-AiAgent saa-echo -Preset saa-start).Preset | Should -Be 'saa-start'
            $result = Invoke-AiTask -Agent saa-echo -Prompt 'x' -Confirm:$false
        }
        finally {
            Stop-AiAgent saa-echo -Force | Out-Null
            Restore-AiEnvironment -SnapshotId $switch.SnapshotId -Confirm:$false | Out-Null
        }
        ($result.Output, $result.Preset) | Should -Be @('SAA_MARK=saa-start', 'saa-start')
    }

    It 'with -WhatIf starts nothing' {
        # An agent no earlier test has started: a real start of its non-executable command would leave it in Error.
        Register-AiAgent -Name saa-whatif -Adapter codex -Command $plain | Out-Null
        Start-AiAgent saa-missing, saa-whatif -WhatIf
        (Get-AiAgent saa-whatif).Status.ToString() | Should -Be 'Stopped'
        (Get-AiAgent saa-whatif).LastError | Should -BeNullOrEmpty
    }
}
