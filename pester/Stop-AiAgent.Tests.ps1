#Requires -Modules Pester
# Stop-AiAgent: stops agents of this runspace; a stopped agent stays Stopped.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module $env:AISWITCH_MODULE_PATH -Force
    Register-AiAgent -Name soa-one -Adapter codex -Command (Join-Path $TestDrive 'no-such-codex') | Out-Null
}

Describe 'Stop-AiAgent' {
    It 'returns a stopped agent as Stopped' {
        (Stop-AiAgent soa-one).Status.ToString() | Should -Be 'Stopped'
    }

    It 'clears an agent left in Error' {
        Start-AiAgent soa-one -ErrorAction SilentlyContinue
        (Get-AiAgent soa-one).Status.ToString() | Should -Be 'Error'
        (Stop-AiAgent soa-one -Force).Status.ToString() | Should -Be 'Stopped'
    }

    It 'takes agents from Get-AiAgent' {
        (Get-AiAgent soa-* | Stop-AiAgent -Timeout 1).Name | Should -Be 'soa-one'
    }

    It 'reports an unknown agent' {
        { Stop-AiAgent soa-nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgentNotFound,AiSwitch.PowerShell.Commands.StopAiAgentCommand'
    }

    It 'with -WhatIf changes nothing' {
        Start-AiAgent soa-one -ErrorAction SilentlyContinue
        Stop-AiAgent soa-one -WhatIf
        (Get-AiAgent soa-one).Status.ToString() | Should -Be 'Error'
    }
}
