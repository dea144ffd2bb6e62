#Requires -Version 7.4
# Remove-AiTokenQuota: removes, piped from Get-AiTokenQuota, -WhatIf leaves no trace, QuotaNotFound is non-terminating.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module -Name (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -ErrorAction Stop
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Remove-AiTokenQuota' {
    BeforeEach {
        Set-AiTokenQuota -Agent claude -DailyTokens 10 | Out-Null
        Set-AiTokenQuota -Agent codex -DailyTokens 10 | Out-Null
    }

    It 'leaves no trace with -WhatIf' {
        Remove-AiTokenQuota claude -WhatIf
        (Get-AiTokenQuota).Agent | Should -Be @('claude', 'codex')
    }

    It 'removes quotas piped from Get-AiTokenQuota' {
        Get-AiTokenQuota | Remove-AiTokenQuota -Confirm:$false
        Get-AiTokenQuota | Should -BeNullOrEmpty
    }

    It 'reports a missing quota as QuotaNotFound and removes the others' {
        Remove-AiTokenQuota -Agent nothing, codex -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'QuotaNotFound,AiSwitch.PowerShell.Commands.RemoveAiTokenQuotaCommand'
        $failures[0].TargetObject | Should -Be 'nothing'
        (Get-AiTokenQuota).Agent | Should -Be 'claude'
    }
}
