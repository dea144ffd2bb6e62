#Requires -Version 7.4
# Get-AiLock: every holder across runspaces and processes, wildcards, piped names, Stale for a killed holder,
# Expired with a warning, exact error ids, the format view and name completion.
# Run by pester/Invoke-Pester.ps1 in a fresh pwsh with $env:AISWITCH_MODULE_PATH set to the built module folder.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/Pwsh.ps1')
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    $manifest = Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1'
    Import-Module -Name $manifest -Force -ErrorAction Stop
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Get-AiLock' {
    BeforeAll {
        $web = Lock-AiResource build-web
        $api = Lock-AiResource build-api -Shared
        $ps = [powershell]::Create().AddScript("Import-Module -Name '$manifest'; Lock-AiResource -Name deploy")
        $deploy = $ps.Invoke()[0]
    }

    AfterAll {
        $ps.Dispose()
        $web, $api | Unlock-AiResource -ErrorAction SilentlyContinue
    }

    It 'lists every holder, from every session, sorted by name' {
        $all = Get-AiLock
        $all.Name | Should -Be @('build-api', 'build-web', 'deploy')
        $all | ForEach-Object { $_ | Should -BeOfType ([AiSwitch.Lock]) }
        $all.State | Should -Be @('Held', 'Held', 'Held')
        ($all | Where-Object Name -eq deploy).SessionId | Should -Not -Be $web.SessionId
        ($all | Where-Object Name -eq build-api).Mode | Should -Be 'Shared'
    }

    It 'filters with wildcards and takes names from the pipeline by property name' {
        (Get-AiLock -Name 'BUILD-*').Name | Should -Be @('build-api', 'build-web')
        (Get-AiLock 'dep?oy').LockId | Should -Be $deploy.LockId
        ([pscustomobject]@{ Name = 'build-web' } | Get-AiLock).LockId | Should -Be $web.LockId
        Get-AiLock -Name 'none*' | Should -BeNullOrEmpty
    }

    It 'reports a plain name no one holds as LockNotFound and goes on' {
        $found = Get-AiLock -Name nothing, deploy -ErrorVariable failures -ErrorAction SilentlyContinue
        $found.Name | Should -Be 'deploy'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'LockNotFound,AiSwitch.PowerShell.Commands.GetAiLockCommand'
        $failures[0].TargetObject | Should -Be 'nothing'
    }

    It 'refuses a plain name that cannot be a lock name' {
        { Get-AiLock -Name '../x' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidLockName,AiSwitch.PowerShell.Commands.GetAiLockCommand'
    }

    It 'shows a killed holder as Stale' {
        $start = New-PwshStartInfo @('-Command', "Import-Module -Name '$manifest'; (Lock-AiResource -Name killed).OwnerPid; [Console]::Out.Flush(); [Console]::In.ReadLine()")
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardInput = $true
        $start.Environment['AISWITCH_HOME'] = $env:AISWITCH_HOME
        $child = [System.Diagnostics.Process]::Start($start)
        try {
            [int] $child.StandardOutput.ReadLine() | Should -Be $child.Id   # the child holds the lock now
            (Get-AiLock killed).State | Should -Be 'Held'

            $child.Kill()                                                  # SIGKILL on Unix
            $child.WaitForExit()

            $stale = Get-AiLock killed
            $stale.State | Should -Be 'Stale'
            $stale.OwnerPid | Should -Be $child.Id
            $stale.StateReason | Should -Not -BeNullOrEmpty
        }
        finally {
            if (-not $child.HasExited) { $child.Kill() }
            $child.Dispose()
        }
    }

    It 'shows a live holder past its expiry as Expired, with a warning' {
        $lock = Lock-AiResource expiring -Expiry 0.05
        Start-Sleep -Milliseconds 200   # the passing of time is what is tested here
        try {
            $listed = Get-AiLock expiring -WarningVariable warnings -WarningAction SilentlyContinue
            $listed.State | Should -Be 'Expired'
            $warnings.Count | Should -Be 1
            "$($warnings[0])" | Should -Match "'expiring'"
        }
        finally {
            $lock | Unlock-AiResource
        }
    }

    It 'has a table view and a list view' {
        Get-FormatData -TypeName AiSwitch.Lock | Should -Not -BeNullOrEmpty
        (Get-AiLock | Format-Table | Out-String) | Should -Match 'OwnerPid'
        (Get-AiLock build-web | Format-List | Out-String) | Should -Match 'StateReason'
    }

    It 'shows when a lock expires in its table, at 80 and at 120 columns' {
        $lock = Lock-AiResource expires-later -Expiry 3600
        try {
            $expires = $lock.ExpiresAt.LocalDateTime.ToString('HH:mm:ss')
            foreach ($width in 80, 120) {
                $lines = (Get-AiLock expires-later | Out-String -Width $width) -split '\r?\n'
                $column = @($lines | Where-Object { $_ -like 'Name *' })[0].IndexOf('ExpiresAt')
                $column | Should -BeGreaterThan 0 -Because "the table has an ExpiresAt column at $width columns"
                ($lines | Where-Object { $_ -like 'expires-later *' }).Substring($column) | Should -BeLike "*$expires*"
            }
        }
        finally {
            $lock | Unlock-AiResource
        }
    }

    It 'completes lock names' {
        $completion = TabExpansion2 -inputScript 'Get-AiLock -Name build' -cursorColumn 22
        $completion.CompletionMatches.CompletionText | Should -Be @('build-api', 'build-web')
    }
}
