#Requires -Modules Pester
# Restore-AiEnvironment: checksum verified, exact restore, -Force for a mismatching snapshot.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module $env:AISWITCH_MODULE_PATH -Force
    New-AiPreset -Name rae-gpt -Variable @{ RAE_URL = 'https://gpt.example'; RAE_MODEL = 'gpt-5' } | Out-Null
    New-AiPreset -Name rae-kimi -Variable @{ RAE_URL = 'https://kimi.example' } | Out-Null
}

Describe 'Restore-AiEnvironment' {
    AfterEach {
        foreach ($name in 'RAE_URL', 'RAE_MODEL', 'AISWITCH_PRESET', 'AISWITCH_MANAGED_VARIABLES') {
            Remove-Item -LiteralPath "Env:$name" -ErrorAction Ignore
        }
    }

    It 'restores the session exactly' {
        Use-AiPreset rae-gpt | Out-Null
        $snapshot = Checkpoint-AiEnvironment
        Use-AiPreset rae-kimi | Out-Null
        $env:RAE_MODEL | Should -BeNullOrEmpty
        $result = Restore-AiEnvironment -SnapshotId $snapshot.SnapshotId
        $result.PSObject.TypeNames[0] | Should -Be 'AiSwitch.RollbackResult'
        $result.ChecksumVerified | Should -BeTrue
        $env:RAE_MODEL | Should -Be 'gpt-5'
        $env:RAE_URL | Should -Be 'https://gpt.example'
    }

    It 'binds SnapshotId and Agent from Checkpoint-AiEnvironment' {
        Switch-AiEnvironment -Preset rae-gpt -Agent rae-agent -NoSnapshot | Out-Null
        $result = Checkpoint-AiEnvironment -Agent rae-agent | Restore-AiEnvironment
        $result.Agent | Should -Be 'rae-agent'
        $result.PresetName | Should -Be 'rae-gpt'
    }

    It 'refuses a tampered snapshot, and -Force restores it' {
        Switch-AiEnvironment -Preset rae-gpt -Agent rae-t -NoSnapshot | Out-Null
        Checkpoint-AiEnvironment -Agent rae-t -SnapshotId rae-edit | Out-Null
        $path = Join-Path $env:AISWITCH_HOME 'state/snapshots/rae-t/rae-edit.json'
        (Get-Content -LiteralPath $path -Raw).Replace('gpt-5', 'gpt-6') | Set-Content -LiteralPath $path -NoNewline
        { Restore-AiEnvironment -Agent rae-t -SnapshotId rae-edit -ErrorAction Stop } |
            Should -Throw -ErrorId 'SnapshotChecksumMismatch,AiSwitch.PowerShell.Commands.RestoreAiEnvironmentCommand'
        $forced = Restore-AiEnvironment -Agent rae-t -SnapshotId rae-edit -Force
        $forced.ChecksumVerified | Should -BeFalse
    }

    It 'with -WhatIf changes nothing' {
        Use-AiPreset rae-gpt | Out-Null
        $snapshot = Checkpoint-AiEnvironment
        Use-AiPreset rae-kimi | Out-Null
        Restore-AiEnvironment -SnapshotId $snapshot.SnapshotId -WhatIf
        $env:RAE_URL | Should -Be 'https://kimi.example'
    }

    It 'completes the snapshot ids of the target it will restore' {
        Checkpoint-AiEnvironment -SnapshotId rae-of-session | Out-Null
        Checkpoint-AiEnvironment -Agent rae-agent -SnapshotId rae-of-agent | Out-Null
        function Complete([string] $line, [int] $column = $line.Length) { (TabExpansion2 -inputScript $line -cursorColumn $column).CompletionMatches.CompletionText }

        Complete 'Restore-AiEnvironment -SnapshotId rae-of' | Should -Be 'rae-of-session'
        Complete 'Restore-AiEnvironment rae-of' | Should -Be 'rae-of-session'
        Complete 'Restore-AiEnvironment -Agent rae-agent -SnapshotId rae-of' | Should -Be 'rae-of-agent'
        Complete 'Restore-AiEnvironment -SnapshotId rae-of -Agent rae-agent' 40 | Should -Be 'rae-of-agent'
        Complete 'Restore-AiEnvironment -Agent session -SnapshotId rae-of' | Should -Be 'rae-of-session'
    }

    It 'reports an unknown snapshot' {
        { Restore-AiEnvironment -Agent rae-agent -SnapshotId rae-nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'SnapshotNotFound,AiSwitch.PowerShell.Commands.RestoreAiEnvironmentCommand'
    }
}
