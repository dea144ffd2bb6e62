#Requires -Version 7.4
# Get-AiAgentMetrics: raw samples, aggregation per interval, piped agent names, an empty window's error id, the view;
# -System: the host's samples in a window, with their own view.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module -Name (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'UsageTestData.ps1')
    $start = [DateTimeOffset]::new(2026, 11, 21, 12, 0, 0, [TimeSpan]::Zero)
    Add-TestMetricsLine -Time $start -Sample @{ agent = 'claude'; status = 'running'; cpu_percent = 10; memory_mb = 200; threads = 12; task_count = 1 }
    Add-TestMetricsLine -Time $start.AddSeconds(5) -Sample @{ agent = 'claude'; status = 'busy'; cpu_percent = 30; memory_mb = 210; threads = 12; task_count = 2 }
    Add-TestMetricsLine -Time $start.AddSeconds(5) -Sample @{ agent = 'codex'; status = 'idle'; cpu_percent = 50; memory_mb = 100; threads = 4; task_count = 0 }
    Add-TestSystemMetricsLine -Time $start -Sample @{ memory_used_mb = 1000; memory_total_mb = 4000; load1 = 0.5; load5 = 0.25; load15 = 0.125; processors = 2 }
    Add-TestSystemMetricsLine -Time $start.AddSeconds(5) -Sample @{ cpu_percent = 42.5; memory_used_mb = 1100; memory_total_mb = 4000; load1 = 0.75; load5 = 0.3; load15 = 0.15; processors = 2 }
    $start = $start.UtcDateTime
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Get-AiAgentMetrics' {
    It 'returns raw samples for an agent' {
        $samples = Get-AiAgentMetrics claude
        $samples | ForEach-Object { $_ | Should -BeOfType ([AiSwitch.AgentMetricsSample]) }
        $samples.CpuPercent | Should -Be @(10, 30)
    }

    It 'aggregates per interval and takes agents from the pipeline' {
        $avg = [pscustomobject]@{ Agent = 'claude' } | Get-AiAgentMetrics -Start $start -Aggregation Avg -Interval 60
        $avg.CpuPercent | Should -Be 20
        $avg.Samples | Should -Be 2
        (Get-AiAgentMetrics -Aggregation Max).Count | Should -Be 2
    }

    It 'refuses an empty window' {
        { Get-AiAgentMetrics -Start $start -End $start -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidArgument,AiSwitch.PowerShell.Commands.GetAiAgentMetricsCommand'
    }

    It 'has a table view' {
        (Get-AiAgentMetrics | Format-Table | Out-String) | Should -Match 'Cpu%'
    }

    It 'marks what an agent reported of itself (metrics.report) apart from what AiSwitch sampled' {
        Add-TestMetricsLine -Time $start.AddSeconds(7) -Sample @{ agent = 'gemini'; source = 'agent'; status = 'busy'; cpu_percent = 70; memory_mb = 90; task_count = 4 }
        (Get-AiAgentMetrics gemini).Source | Should -Be 'agent'
        (Get-AiAgentMetrics claude).Source | Should -Be @('coordinator', 'coordinator')
        $table = Get-AiAgentMetrics gemini, codex | Format-Table | Out-String
        $table | Should -Match 'Source'
        $table | Should -Match 'gemini\s+agent\s'
        $table | Should -Match 'codex\s+coordinator\s'
    }

    It 'returns the host samples with -System, oldest first, within -Start and -End' {
        $all = Get-AiAgentMetrics -System
        $all | ForEach-Object { $_ | Should -BeOfType ([AiSwitch.SystemMetricsSample]) }
        $all.MemoryUsedMb | Should -Be @(1000, 1100)
        $all[0].CpuPercent | Should -BeNullOrEmpty  # a first sample has no CPU share yet
        $late = Get-AiAgentMetrics -System -Start $start.AddSeconds(1) -End $start.AddMinutes(1)
        $late.CpuPercent | Should -Be 42.5
        $late.Load1 | Should -Be 0.75
    }

    It 'does not take agents or an aggregation with -System' {
        { Get-AiAgentMetrics -System -Agent claude -ErrorAction Stop } | Should -Throw -ErrorId 'AmbiguousParameterSet,AiSwitch.PowerShell.Commands.GetAiAgentMetricsCommand'
    }

    It 'shows host samples in their own table' {
        $table = Get-AiAgentMetrics -System | Format-Table | Out-String
        $table | Should -Match 'MemoryUsedMb\s+MemoryTotalMb\s+Load1'
        $table | Should -Match '42\.5'
    }
}
