#Requires -Modules Pester
# Unregister-AiAgent: removes definitions (ConfirmImpact High); a built-in comes back, a built-in alone cannot go.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module $env:AISWITCH_MODULE_PATH -Force
}

Describe 'Unregister-AiAgent' {
    It 'removes a registered agent' {
        Register-AiAgent -Name uaa-one -Adapter codex | Out-Null
        Unregister-AiAgent -Name uaa-one -Confirm:$false
        { Get-AiAgent uaa-one -ErrorAction Stop } | Should -Throw -ErrorId 'AgentNotFound,AiSwitch.PowerShell.Commands.GetAiAgentCommand'
    }

    It 'takes names from Get-AiAgent by property name' {
        'uaa-p1', 'uaa-p2' | ForEach-Object { Register-AiAgent -Name $_ -Adapter gemini | Out-Null }
        Get-AiAgent uaa-p* | Unregister-AiAgent -Confirm:$false
        Get-AiAgent uaa-p* | Should -BeNullOrEmpty
    }

    It 'brings a built-in back when its override is removed' {
        Register-AiAgent -Name codex -Adapter codex -Command /opt/codex | Out-Null
        Unregister-AiAgent -Name codex -Confirm:$false
        (Get-AiAgent codex).Source | Should -Be 'built-in'
    }

    It 'refuses to remove a built-in' {
        { Unregister-AiAgent -Name gemini -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,AiSwitch.PowerShell.Commands.UnregisterAiAgentCommand'
    }

    It 'reports an unknown agent and goes on with the next' {
        Register-AiAgent -Name uaa-next -Adapter codex | Out-Null
        Unregister-AiAgent -Name uaa-nope, uaa-next -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'AgentNotFound,AiSwitch.PowerShell.Commands.UnregisterAiAgentCommand'
        Get-AiAgent uaa-next* | Should -BeNullOrEmpty
    }

    It 'with -WhatIf removes nothing' {
        Register-AiAgent -Name uaa-whatif -Adapter codex | Out-Null
        Unregister-AiAgent -Name uaa-whatif -WhatIf
        (Get-AiAgent uaa-whatif).Name | Should -Be 'uaa-whatif'
    }
}
