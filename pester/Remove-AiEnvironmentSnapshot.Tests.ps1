#Requires -Modules Pester
# Remove-AiEnvironmentSnapshot: ConfirmImpact High; pipeline from Get-AiEnvironmentSnapshot.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module $env:AISWITCH_MODULE_PATH -Force
    New-AiPreset -Name rem-gpt -Variable @{ REM_URL = 'https://gpt.example' } | Out-Null
    Switch-AiEnvironment -Preset rem-gpt -Agent rem-a -NoSnapshot | Out-Null
}

Describe 'Remove-AiEnvironmentSnapshot' {
    It 'removes a snapshot by id' {
        Checkpoint-AiEnvironment -Agent rem-a -SnapshotId rem-1 | Out-Null
        Remove-AiEnvironmentSnapshot -Agent rem-a -SnapshotId rem-1 -Confirm:$false
        Get-AiEnvironmentSnapshot -Agent rem-a -SnapshotId 'rem-1*' | Should -BeNullOrEmpty
    }

    It 'removes what Get-AiEnvironmentSnapshot pipes in' {
        Checkpoint-AiEnvironment -Agent rem-a -SnapshotId rem-2 | Out-Null
        Checkpoint-AiEnvironment -Agent rem-a -SnapshotId rem-3 | Out-Null
        Get-AiEnvironmentSnapshot -Agent rem-a | Remove-AiEnvironmentSnapshot -Confirm:$false
        Get-AiEnvironmentSnapshot -Agent rem-a | Should -BeNullOrEmpty
    }

    It 'with -WhatIf removes nothing' {
        Checkpoint-AiEnvironment -Agent rem-a -SnapshotId rem-4 | Out-Null
        Remove-AiEnvironmentSnapshot -Agent rem-a -SnapshotId rem-4 -WhatIf
        (Get-AiEnvironmentSnapshot -Agent rem-a -SnapshotId rem-4).SnapshotId | Should -Be 'rem-4'
    }

    It 'is ConfirmImpact High' {
        $metadata = [System.Management.Automation.CommandMetadata]::new((Get-Command Remove-AiEnvironmentSnapshot))
        $metadata.ConfirmImpact | Should -Be 'High'
    }

    It 'reports an unknown snapshot' {
        { Remove-AiEnvironmentSnapshot -Agent rem-a -SnapshotId rem-nope -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'SnapshotNotFound,AiSwitch.PowerShell.Commands.RemoveAiEnvironmentSnapshotCommand'
    }
}
