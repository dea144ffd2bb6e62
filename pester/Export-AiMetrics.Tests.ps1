#Requires -Version 7.4
# Export-AiMetrics: Prometheus text from the ledger, CSV and JSON of samples, -Path writes a file, -WhatIf leaves no trace.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module -Name (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'UsageTestData.ps1')
    Add-TestLedgerLine -Agent claude -Model claude-sonnet-5 -InputTokens 42 -OutputTokens 7
    Add-TestMetricsLine -Sample @{ agent = 'claude'; status = 'running'; cpu_percent = 12.5; memory_mb = 100; threads = 9 }
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Export-AiMetrics' {
    It 'writes Prometheus text with HELP and TYPE lines' {
        $text = Export-AiMetrics Prometheus
        $text | Should -Match '(?m)^# TYPE aiswitch_tokens_total counter$'
        $text | Should -Match '(?m)^aiswitch_tokens_total\{agent="claude",model="claude-sonnet-5",kind="input"\} 42$'
        $text | Should -Match '(?m)^aiswitch_agent_cpu_percent\{agent="claude"\} 12.5$'
    }

    It 'exports samples as CSV and JSON' {
        (Export-AiMetrics Csv | ConvertFrom-Csv).cpu_percent | Should -Be '12.5'
        (Export-AiMetrics Json -Agent claude | ConvertFrom-Json).threads | Should -Be 9
    }

    It 'writes a file with -Path, and nothing with -WhatIf' {
        $file = Join-Path $TestDrive 'metrics.prom'
        Export-AiMetrics Prometheus -Path $file -WhatIf
        Test-Path $file | Should -BeFalse
        (Export-AiMetrics Prometheus -Path $file) | Should -BeOfType ([System.IO.FileInfo])
        Get-Content $file -Raw | Should -Match 'aiswitch_requests_total'
    }
}
