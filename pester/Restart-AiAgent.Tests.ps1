#Requires -Modules Pester
# Restart-AiAgent: stop and start again; a command that cannot start is reported.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module $env:AISWITCH_MODULE_PATH -Force
    Register-AiAgent -Name raa-missing -Adapter codex -Command (Join-Path $TestDrive 'no-such-codex') | Out-Null
}

Describe 'Restart-AiAgent' {
    It 'reports an agent that cannot start again' {
        { Restart-AiAgent raa-missing -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgentCommandNotFound,AiSwitch.PowerShell.Commands.RestartAiAgentCommand'
    }

    It 'takes agents from Get-AiAgent and reports each failure' {
        Get-AiAgent raa-* | Restart-AiAgent -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
    }

    It 'reports an unknown agent' {
        { Restart-AiAgent raa-nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgentNotFound,AiSwitch.PowerShell.Commands.RestartAiAgentCommand'
    }

    It 'with -WhatIf changes nothing' {
        Stop-AiAgent raa-missing | Out-Null
        Restart-AiAgent raa-missing -WhatIf
        (Get-AiAgent raa-missing).Status.ToString() | Should -Be 'Stopped'
    }
}
