#Requires -Version 7.4
# Clear-AiStaleLock: removes records whose holder is gone, never a live holder's; -WhatIf removes nothing;
# -PassThru, piped names, wildcards; exact error ids.
# Run by pester/Invoke-Pester.ps1 in a fresh pwsh with $env:AISWITCH_MODULE_PATH set to the built module folder.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module -Name (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -ErrorAction Stop
    $locksDir = Join-Path $env:AISWITCH_HOME 'locks'

    # An owner record left by a holder that died: its lock is not held and its pid is gone.
    function New-StaleRecord([string] $Name, [string] $LockId) {
        $folder = Join-Path $locksDir "$Name.owners"
        New-Item -ItemType Directory -Force -Path $folder | Out-Null
        [ordered]@{
            schema_version = 1
            lock_id        = $LockId
            name           = $Name
            mode           = 'Exclusive'
            pid            = 2147483000
            process_start  = 'linux:1'
            host           = [Environment]::MachineName
            acquired_at    = [DateTimeOffset]::UtcNow.AddHours(-1).ToString('o')
        } | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $folder "$LockId.json")
        Join-Path $folder "$LockId.json"
    }
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Clear-AiStaleLock' {
    BeforeEach {
        $record = New-StaleRecord -Name orphan -LockId 'dead0001'
        $live = Lock-AiResource live
    }

    AfterEach {
        $live | Unlock-AiResource -ErrorAction SilentlyContinue
    }

    It 'removes stale records and keeps live holders' {
        (Get-AiLock orphan).State | Should -Be 'Stale'

        Clear-AiStaleLock -Confirm:$false

        Test-Path $record | Should -BeFalse
        Test-Path (Join-Path $locksDir 'orphan.owners') | Should -BeFalse
        (Get-AiLock).LockId | Should -Be $live.LockId
    }

    It 'writes the removed records with -PassThru' {
        $removed = Clear-AiStaleLock -PassThru -Confirm:$false
        $removed.LockId | Should -Be 'dead0001'
        $removed.State | Should -Be 'Stale'
        $removed.StateReason | Should -Match 'no longer held'
    }

    It 'leaves no trace with -WhatIf' {
        Clear-AiStaleLock -WhatIf | Should -BeNullOrEmpty
        Test-Path $record | Should -BeTrue
        (Get-AiLock orphan).State | Should -Be 'Stale'
        Clear-AiStaleLock -Confirm:$false
    }

    It 'takes names and wildcards, also from the pipeline by property name' {
        $other = New-StaleRecord -Name other -LockId 'dead0002'
        (Clear-AiStaleLock -Name 'orph*' -PassThru -Confirm:$false).LockId | Should -Be 'dead0001'
        Test-Path $other | Should -BeTrue

        ([pscustomobject]@{ Name = 'other' } | Clear-AiStaleLock -PassThru -Confirm:$false).LockId | Should -Be 'dead0002'
        Get-AiLock | Where-Object State -eq Stale | Should -BeNullOrEmpty
    }

    It 'cleans what Get-AiLock pipes to it' {
        (Get-AiLock | Where-Object State -eq Stale | Clear-AiStaleLock -PassThru -Confirm:$false).LockId | Should -Be 'dead0001'
    }

    It 'refuses a bad name' {
        { Clear-AiStaleLock -Name 'a/b' -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidLockName,AiSwitch.PowerShell.Commands.ClearAiStaleLockCommand'
        Clear-AiStaleLock -Confirm:$false
    }
}
