#Requires -Modules Pester
# Get-AiEnvironmentSnapshot: lists snapshots of one target or all, with wildcards, values redacted.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module $env:AISWITCH_MODULE_PATH -Force
    New-AiPreset -Name gae-gpt -Variable @{ GAE_URL = 'https://gpt.example' } | Out-Null
    Switch-AiEnvironment -Preset gae-gpt -Agent gae-a, gae-b -NoSnapshot | Out-Null
    Checkpoint-AiEnvironment -Agent gae-a -SnapshotId alpha-1 | Out-Null
    Checkpoint-AiEnvironment -Agent gae-a -SnapshotId beta-1 | Out-Null
    Checkpoint-AiEnvironment -Agent gae-b -SnapshotId alpha-2 | Out-Null
}

Describe 'Get-AiEnvironmentSnapshot' {
    It 'lists every target''s snapshots without -Agent' {
        (Get-AiEnvironmentSnapshot).SnapshotId | Should -Contain 'alpha-2'
        @(Get-AiEnvironmentSnapshot).Count | Should -BeGreaterOrEqual 3
    }

    It 'filters by agent and by wildcard id' {
        (Get-AiEnvironmentSnapshot -Agent gae-a).SnapshotId | Should -Be @('alpha-1', 'beta-1')
        (Get-AiEnvironmentSnapshot -SnapshotId 'alpha-*').SnapshotId | Sort-Object | Should -Be @('alpha-1', 'alpha-2')
    }

    It 'takes Agent and SnapshotId from the pipeline by property name' {
        $found = [pscustomobject]@{ Agent = 'gae-b'; SnapshotId = 'alpha-2' } | Get-AiEnvironmentSnapshot
        $found.Agent | Should -Be 'gae-b'
    }

    It 'formats as a table with the format view, marking a snapshot that no longer matches its checksum' {
        Checkpoint-AiEnvironment -Agent gae-c -SnapshotId gamma-1 -Description 'edited later' | Out-Null
        $path = Join-Path $env:AISWITCH_HOME 'state/snapshots/gae-c/gamma-1.json'
        (Get-Content -LiteralPath $path -Raw).Replace('edited later', 'edited since') | Set-Content -LiteralPath $path -NoNewline
        $text = Get-AiEnvironmentSnapshot -Agent gae-a | Out-String
        $text | Should -Match 'SnapshotId\s+Agent\s+Timestamp\s+PresetName\s+Description'
        $text | Should -Not -Match 'checksum mismatch'
        (Get-AiEnvironmentSnapshot -Agent gae-c).ChecksumValid | Should -BeFalse
        Get-AiEnvironmentSnapshot -Agent gae-c | Out-String -Width 120 | Should -Match 'gamma-1 .*\(checksum mismatch\) edited since'
    }

    It 'reports an exact id that matches nothing' {
        { Get-AiEnvironmentSnapshot -Agent gae-a -SnapshotId nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'SnapshotNotFound,AiSwitch.PowerShell.Commands.GetAiEnvironmentSnapshotCommand'
    }
}
