#Requires -Modules Pester
# Unregister-AiAgent: removes definitions (ConfirmImpact Medium, as Unregister-SecretVault; -Force for a lowered
# $ConfirmPreference); a built-in comes back, a built-in alone cannot go.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/Pwsh.ps1')
    . (Join-Path $PSScriptRoot 'Support/NonInteractive.ps1')
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

    It 'is medium impact, as Unregister-SecretVault is' {
        [System.Management.Automation.CommandMetadata]::new((Get-Command Unregister-AiAgent)).ConfirmImpact | Should -Be 'Medium'
    }

    It 'unregisters without asking in a non-interactive shell, and -Force unregisters where $ConfirmPreference would ask' {
        'uaa-n1', 'uaa-n2', 'uaa-n3' | ForEach-Object { Register-AiAgent -Name $_ -Adapter codex | Out-Null }
        Get-RemovalOutcome 'Unregister-AiAgent {0}' uaa-n1, uaa-n2, uaa-n3 |
            Should -BeLike 'ok | failed: *NonInteractive* | ok | failed: *NonInteractive*' -Because 'an explicit -Confirm still asks'
        (Get-AiAgent uaa-n*).Name | Should -Be 'uaa-n3'
    }

    It 'with -Force -WhatIf removes nothing' {
        Register-AiAgent -Name uaa-force-whatif -Adapter codex | Out-Null
        Unregister-AiAgent -Name uaa-force-whatif -Force -WhatIf
        (Get-AiAgent uaa-force-whatif).Name | Should -Be 'uaa-force-whatif'
    }

    It 'with -WhatIf removes nothing' {
        Register-AiAgent -Name uaa-whatif -Adapter codex | Out-Null
        Unregister-AiAgent -Name uaa-whatif -WhatIf
        (Get-AiAgent uaa-whatif).Name | Should -Be 'uaa-whatif'
    }
}
