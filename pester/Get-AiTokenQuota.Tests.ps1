#Requires -Version 7.4
# Get-AiTokenQuota: today's use from the ledger, wildcards, piped names, state, the view.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module -Name (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'UsageTestData.ps1')
    Add-TestLedgerLine -Agent claude -InputTokens 850
    Set-AiTokenQuota -Agent claude -DailyTokens 1000 | Out-Null
    Set-AiTokenQuota -Agent codex -DailyTokens 1000 | Out-Null
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Get-AiTokenQuota' {
    It 'reports today''s use, what remains and the state' {
        $claude = Get-AiTokenQuota -Agent claude
        $claude.UsedTokens | Should -Be 850
        $claude.RemainingTokens | Should -Be 150
        $claude.State | Should -Be 'Warn'
        $claude.Day | Should -Be ([DateTime]::UtcNow.ToString('yyyy-MM-dd'))
    }

    It 'matches wildcards and piped names' {
        (Get-AiTokenQuota c*).Agent | Should -Be @('claude', 'codex')
        ([pscustomobject]@{ Agent = 'codex' } | Get-AiTokenQuota).State | Should -Be 'Ok'
        Get-AiTokenQuota nothing* | Should -BeNullOrEmpty
    }

    It 'reports a name without a quota as a non-terminating QuotaNotFound, and a wildcard that matches none as nothing' {
        $found = Get-AiTokenQuota -Agent gemini, claude -ErrorVariable missing -ErrorAction SilentlyContinue
        $found.Agent | Should -Be 'claude'
        $missing | Should -HaveCount 1
        $missing[0].FullyQualifiedErrorId | Should -Be 'QuotaNotFound,AiSwitch.PowerShell.Commands.GetAiTokenQuotaCommand'
        Get-AiTokenQuota -Agent 'nothing*' -ErrorVariable quiet | Should -BeNullOrEmpty
        $quiet | Should -BeNullOrEmpty
    }

    It 'has a table view' {
        (Get-AiTokenQuota | Format-Table | Out-String) | Should -Match 'State\s+UsedTokens\s+DailyTokens'
    }
}
