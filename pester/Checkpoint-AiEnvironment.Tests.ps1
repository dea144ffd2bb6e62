#Requires -Modules Pester
# Checkpoint-AiEnvironment: saves a snapshot (an agent's references as written, never the secret they resolve to).

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module $env:AISWITCH_MODULE_PATH -Force
    $env:CAE_SOURCE = 'cae-secret-value-abcdef123456'
    New-AiPreset -Name cae-gpt -Variable @{ CAE_URL = 'https://gpt.example'; CAE_API_KEY = 'env:CAE_SOURCE' } | Out-Null
    Switch-AiEnvironment -Preset cae-gpt -Agent cae-agent -NoSnapshot | Out-Null
}

Describe 'Checkpoint-AiEnvironment' {
    It 'saves an agent''s environment with a checksum, its references as written and no secret' {
        $snapshot = Checkpoint-AiEnvironment -Agent cae-agent -SnapshotId cae-1 -Description 'known good'
        $snapshot.PSObject.TypeNames[0] | Should -Be 'AiSwitch.EnvSnapshot'
        $snapshot.SnapshotId | Should -Be 'cae-1'
        $snapshot.PresetName | Should -Be 'cae-gpt'
        $snapshot.Checksum | Should -Match '^sha256:[0-9a-f]{64}$'
        $snapshot.ChecksumValid | Should -BeTrue
        $snapshot.Variables['CAE_URL'] | Should -Be 'https://gpt.example'
        $snapshot.Variables['CAE_API_KEY'] | Should -Be 'env:CAE_SOURCE'   # resolved again at each launch
        ($snapshot | Format-List | Out-String) | Should -Not -Match 'cae-secret-value'
        ($snapshot | ConvertTo-Json) | Should -Not -Match 'cae-secret-value'
        Get-ChildItem -Recurse -File (Join-Path $env:AISWITCH_HOME 'state') | Get-Content -Raw | Should -Not -Match 'cae-secret-value'
    }

    It 'defaults to a sortable timestamp id' {
        (Checkpoint-AiEnvironment -Agent cae-agent).SnapshotId | Should -Match '^\d{8}-\d{6}-\d{3}(-\d+)?$'
    }

    It 'takes the agent from the pipeline by property name, and pipes into Restore-AiEnvironment' {
        $restored = [pscustomobject]@{ Agent = 'cae-agent' } | Checkpoint-AiEnvironment | Restore-AiEnvironment
        $restored.Agent | Should -Be 'cae-agent'
        $restored.ChecksumVerified | Should -BeTrue
    }

    It 'with -WhatIf writes no snapshot' {
        Checkpoint-AiEnvironment -Agent cae-agent -SnapshotId cae-whatif -WhatIf
        Test-Path (Join-Path $env:AISWITCH_HOME 'state/snapshots/cae-agent/cae-whatif.json') | Should -BeFalse
    }

    It 'refuses an id that exists' {
        Checkpoint-AiEnvironment -Agent cae-agent -SnapshotId cae-dup | Out-Null
        { Checkpoint-AiEnvironment -Agent cae-agent -SnapshotId cae-dup -ErrorAction Stop } |
            Should -Throw -ErrorId 'SnapshotAlreadyExists,AiSwitch.PowerShell.Commands.CheckpointAiEnvironmentCommand'
    }

    It 'refuses an id that is not a safe name' {
        { Checkpoint-AiEnvironment -Agent cae-agent -SnapshotId '../escape' -ErrorAction Stop } |
            Should -Throw -ErrorId 'EnvironmentValidationFailed,AiSwitch.PowerShell.Commands.CheckpointAiEnvironmentCommand'
    }
}
