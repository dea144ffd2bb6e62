#Requires -Version 7.4
# Watch-AiAgent: -Once rows from samples, today's usage and quotas; piped agent names; the live view stops when the
# pipeline is stopped and leaves the alternate screen.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module -Name (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'UsageTestData.ps1')
    Add-TestLedgerLine -Agent claude -Model claude-sonnet-5 -InputTokens 900
    Add-TestMetricsLine -Sample @{ agent = 'claude'; status = 'busy'; cpu_percent = 12.5; memory_mb = 300; threads = 9; task_count = 4 }
    Set-AiTokenQuota -Agent claude -DailyTokens 1000 | Out-Null
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Watch-AiAgent' {
    It 'writes the rows once with -Once: the status now beside the latest sample' {
        $row = Watch-AiAgent -Once
        $row | Should -BeOfType ([AiSwitch.MonitorRow])
        $row.Agent | Should -Be 'claude'
        $row.Status | Should -Be 'stopped'   # the sample says busy, but no session runs claude now
        $row.CpuPercent | Should -Be 12.5
        $row.SampleAgeSeconds | Should -BeOfType ([double])
        $row.TokensToday | Should -Be 900
        $row.Quota | Should -Be 'Warn'
    }

    It 'takes agent names from the pipeline' {
        [pscustomobject]@{ Agent = 'nobody' } | Watch-AiAgent -Once | Should -BeNullOrEmpty
    }

    It 'runs live until the pipeline is stopped' {
        $ps = [powershell]::Create().AddScript("Import-Module -Name '$(Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1')'; Watch-AiAgent -Interval 0.1")
        $async = $ps.BeginInvoke()
        try {
            $async.AsyncWaitHandle.WaitOne(500) | Should -BeFalse   # still running: the passing of time is the subject here
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally {
            $ps.Dispose()
        }
    }
}
