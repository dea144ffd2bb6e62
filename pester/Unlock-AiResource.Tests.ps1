#Requires -Version 7.4
# Unlock-AiResource: by piped Lock (exactly that lock), by -LockId, by -Name; -PassThru; -WhatIf keeps the lock;
# a lock this session does not hold is a non-terminating LockNotFound.
# Run by pester/Invoke-Pester.ps1 in a fresh pwsh with $env:AISWITCH_MODULE_PATH set to the built module folder.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    $manifest = Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1'
    Import-Module -Name $manifest -Force -ErrorAction Stop
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Unlock-AiResource' {
    AfterEach {
        foreach ($name in 'build', 'docs') {
            Unlock-AiResource -Name $name -ErrorAction SilentlyContinue
        }
    }

    It 'releases exactly the piped lock' {
        $first = Lock-AiResource docs -Shared
        $second = Lock-AiResource docs -Shared

        $first | Unlock-AiResource

        (Get-AiLock docs).LockId | Should -Be $second.LockId
    }

    It 'releases by -LockId and by -Name, writing the released locks with -PassThru' {
        $byId = Lock-AiResource build
        (Unlock-AiResource -LockId $byId.LockId -PassThru).LockId | Should -Be $byId.LockId
        Get-AiLock | Should -BeNullOrEmpty

        $one = Lock-AiResource docs -Shared
        $two = Lock-AiResource docs -Shared
        $released = Unlock-AiResource docs -PassThru
        @($released).Count | Should -Be 2
        $released.LockId | Should -Contain $one.LockId
        $released.LockId | Should -Contain $two.LockId
        Get-AiLock | Should -BeNullOrEmpty
    }

    It 'writes nothing without -PassThru' {
        Lock-AiResource build | Out-Null
        Unlock-AiResource build | Should -BeNullOrEmpty
    }

    It 'frees the lock for other runspaces at once' {
        $lock = Lock-AiResource build
        $lock | Unlock-AiResource
        $ps = [powershell]::Create().AddScript("Import-Module -Name '$manifest'; (Lock-AiResource -Name build -Timeout 0).State")
        try {
            $ps.Invoke() | Should -Be 'Held'
            $ps.Streams.Error | Should -BeNullOrEmpty
        }
        finally {
            $ps.Dispose()
        }
    }

    It 'keeps the lock with -WhatIf' {
        $lock = Lock-AiResource build
        $lock | Unlock-AiResource -WhatIf
        (Get-AiLock build).LockId | Should -Be $lock.LockId
    }

    It 'reports a lock this session does not hold and goes on with the next' {
        $held = Lock-AiResource build
        $unknown = [pscustomobject]@{ LockId = 'no-such-id' }
        $released = $unknown, $held | Unlock-AiResource -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue

        $released.LockId | Should -Be $held.LockId
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'LockNotFound,AiSwitch.PowerShell.Commands.UnlockAiResourceCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be 'no-such-id'
    }

    It 'cannot release a lock another runspace holds' {
        $ps = [powershell]::Create().AddScript("Import-Module -Name '$manifest'; Lock-AiResource -Name docs")
        try {
            $theirs = $ps.Invoke()[0]
            { $theirs | Unlock-AiResource -ErrorAction Stop } |
                Should -Throw -ErrorId 'LockNotFound,AiSwitch.PowerShell.Commands.UnlockAiResourceCommand'
            (Get-AiLock docs).LockId | Should -Be $theirs.LockId
        }
        finally {
            $ps.Dispose()
        }
    }
}
