#Requires -Version 7.4
# Lock-AiResource: exclusive and shared, held by the session until Unlock-AiResource or the runspace closes,
# excluded across runspaces, timeout naming the holder, -WhatIf leaves no trace, exact error ids.
# Run by pester/Invoke-Pester.ps1 in a fresh pwsh with $env:AISWITCH_MODULE_PATH set to the built module folder.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    $manifest = Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1'
    Import-Module -Name $manifest -Force -ErrorAction Stop
    $locksDir = Join-Path $env:AISWITCH_HOME 'locks'

    # Runs a script in a runspace of its own (its own AiSwitch session) and returns it still open, with the output
    # and the errors (written, or thrown out of Invoke as a terminating error).
    function New-LockRunspace([string] $Script) {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module -Name '$manifest'; $Script")
        $thrown = $null
        $output = try { $ps.Invoke() } catch { $thrown = $_.Exception.InnerException.ErrorRecord }
        [pscustomobject]@{ PowerShell = $ps; Output = @($output); Errors = @(@($ps.Streams.Error) + @($thrown) | Where-Object { $_ }) }
    }
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Lock-AiResource' {
    AfterEach {
        foreach ($name in 'build', 'docs', 'a', 'b', 'c', 'expiring') {
            Unlock-AiResource -Name $name -ErrorAction SilentlyContinue
        }
    }

    It 'returns the held lock with its owner' {
        $lock = Lock-AiResource -Name build -Expiry 60
        $lock | Should -BeOfType ([AiSwitch.Lock])
        $lock.Name | Should -Be 'build'
        $lock.Mode | Should -Be 'Exclusive'
        $lock.State | Should -Be 'Held'
        $lock.OwnerPid | Should -Be $PID
        $lock.OwnerHost | Should -Be ([Environment]::MachineName)
        $lock.ExpiresAt | Should -BeGreaterThan $lock.AcquiredAt
        $lock.Path | Should -Be (Join-Path $locksDir 'build.lock')
        (Get-AiLock -Name build).LockId | Should -Be $lock.LockId
    }

    It 'keeps the lock across commands until Unlock-AiResource' {
        $lock = Lock-AiResource build
        $other = New-LockRunspace 'Lock-AiResource -Name build -Timeout 0'
        try {
            $other.Errors[0].FullyQualifiedErrorId | Should -Be 'LockTimeout,AiSwitch.PowerShell.Commands.LockAiResourceCommand'
            $other.Errors[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
            $other.Errors[0].Exception.Message | Should -Match "pid $PID"
            $other.Errors[0].Exception.Message | Should -Match $lock.LockId
        }
        finally {
            $other.PowerShell.Dispose()
        }

        $lock | Unlock-AiResource
        $again = New-LockRunspace 'Lock-AiResource -Name build -Timeout 0'
        try {
            $again.Errors | Should -BeNullOrEmpty
            $again.Output[0].Name | Should -Be 'build'
        }
        finally {
            $again.PowerShell.Dispose()
        }
    }

    It 'reports a timeout as a non-terminating error that -ErrorAction SilentlyContinue silences' {
        Lock-AiResource build | Out-Null
        $other = New-LockRunspace "Lock-AiResource -Name build -Timeout 0 -ErrorAction SilentlyContinue -ErrorVariable timedOut; 'went on'; `$timedOut[0].FullyQualifiedErrorId"
        try {
            $other.Errors | Should -BeNullOrEmpty
            $other.Output | Should -Be @('went on', 'LockTimeout,AiSwitch.PowerShell.Commands.LockAiResourceCommand')
        }
        finally {
            $other.PowerShell.Dispose()
        }
    }

    It 'lets shared holders in together and keeps an exclusive one out' {
        Lock-AiResource docs -Shared | Out-Null
        $reader = New-LockRunspace 'Lock-AiResource -Name docs -Shared -Timeout 0'
        $writer = New-LockRunspace 'Lock-AiResource -Name docs -Timeout 0.2'
        try {
            $reader.Errors | Should -BeNullOrEmpty
            $reader.Output[0].Mode | Should -Be 'Shared'
            $writer.Errors[0].FullyQualifiedErrorId | Should -Be 'LockTimeout,AiSwitch.PowerShell.Commands.LockAiResourceCommand'
            @(Get-AiLock docs).Count | Should -Be 2
        }
        finally {
            $reader.PowerShell.Dispose()
            $writer.PowerShell.Dispose()
        }
    }

    It 'releases every lock of a runspace when the runspace closes' {
        $holder = New-LockRunspace "Lock-AiResource -Name build; Lock-AiResource -Name docs -Shared"
        @(Get-AiLock).Count | Should -Be 2
        $holder.PowerShell.Runspace.Close()
        $holder.PowerShell.Dispose()

        Get-AiLock | Should -BeNullOrEmpty
        (Lock-AiResource build -Timeout 0).State | Should -Be 'Held'
    }

    It 'takes names from the pipeline by value and by property name' {
        ('a', 'b' | Lock-AiResource).Name | Should -Be @('a', 'b')
        ([pscustomobject]@{ Name = 'c' } | Lock-AiResource).Name | Should -Be 'c'
    }

    It 'leaves no trace with -WhatIf' {
        Lock-AiResource -Name never -WhatIf | Should -BeNullOrEmpty
        Get-AiLock | Should -BeNullOrEmpty
        Test-Path (Join-Path $locksDir 'never.lock') | Should -BeFalse
        Test-Path (Join-Path $locksDir 'never.owners') | Should -BeFalse
    }

    It 'refuses a bad name, naming it and the rule' {
        foreach ($bad in '../etc', 'a/b', '.hidden', 'a..b', ('x' * 101)) {
            { Lock-AiResource -Name $bad -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidLockName,AiSwitch.PowerShell.Commands.LockAiResourceCommand'
        }
        $failure = { Lock-AiResource -Name 'a/b' -ErrorAction Stop } | Should -Throw -PassThru
        $failure.Exception.Message | Should -Match "'a/b'"
        $failure.Exception.Message | Should -Match 'letters, digits'
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'validates -Timeout' {
        { Lock-AiResource -Name build -Timeout -1 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,AiSwitch.PowerShell.Commands.LockAiResourceCommand'
    }

    It 'completes lock names' {
        Lock-AiResource build | Out-Null
        $completion = TabExpansion2 -inputScript 'Lock-AiResource -Name bu' -cursorColumn 24
        $completion.CompletionMatches.CompletionText | Should -Contain 'build'
    }
}
