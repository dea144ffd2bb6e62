#Requires -Version 7.4
# Set-AiTokenQuota: create and change quotas, piped rows, -WhatIf leaves no trace, exact error ids.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module -Name (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -ErrorAction Stop
    $quotaFile = Join-Path $env:AISWITCH_HOME 'config/quotas.yaml'
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Set-AiTokenQuota' {
    It 'leaves no trace with -WhatIf' {
        Set-AiTokenQuota -Agent claude -DailyTokens 1000 -WhatIf
        Test-Path $quotaFile | Should -BeFalse
    }

    It 'creates a quota and keeps limits not given when changing it' {
        $quota = Set-AiTokenQuota -Agent claude -DailyTokens 1000
        $quota | Should -BeOfType ([AiSwitch.TokenQuota])
        $quota.State | Should -Be 'Ok'
        $quota.WarnAt | Should -Be 0.8
        $changed = Set-AiTokenQuota claude -DailyCostUsd 5 -WarnAt 0.5
        $changed.DailyTokens | Should -Be 1000
        $changed.DailyCostUsd | Should -Be 5
        Get-Content $quotaFile -Raw | Should -Match 'daily_cost_usd: 5'
    }

    It 'takes rows from the pipeline by property name' {
        @([pscustomobject]@{ Agent = 'codex'; DailyTokens = 50 }, [pscustomobject]@{ Agent = '*'; DailyCostUsd = 9 }) | Set-AiTokenQuota | Out-Null
        $quotas = Get-AiTokenQuota
        # Sorted by agent, '*' first; other tests' quotas may be listed too.
        $quotas.Agent | Should -Be ($quotas.Agent | Sort-Object)
        $quotas[0].Agent | Should -Be '*'
        $quotas[0].DailyCostUsd | Should -Be 9
        ($quotas | Where-Object Agent -eq 'codex').DailyTokens | Should -Be 50
    }

    It 'completes registered agents, the built-ins and the agents in the ledger' {
        Register-AiAgent -Name saq-registered -Adapter codex | Out-Null
        (TabExpansion2 -inputScript 'Set-AiTokenQuota -Agent saq-r' -cursorColumn 29).CompletionMatches.CompletionText | Should -Be 'saq-registered'
        $all = (TabExpansion2 -inputScript 'Set-AiTokenQuota -Agent ' -cursorColumn 24).CompletionMatches.CompletionText
        $all | Should -Contain 'saq-registered'
        $all | Should -Contain 'gemini'
    }

    It 'refuses a new quota without a limit' {
        { Set-AiTokenQuota -Agent gemini -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidArgument,AiSwitch.PowerShell.Commands.SetAiTokenQuotaCommand'
    }

    It 'validates WarnAt' {
        { Set-AiTokenQuota -Agent claude -WarnAt 2 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,AiSwitch.PowerShell.Commands.SetAiTokenQuotaCommand'
    }
}
