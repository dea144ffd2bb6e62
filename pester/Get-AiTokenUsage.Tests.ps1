#Requires -Version 7.4
# Get-AiTokenUsage: rows per agent/model/day, filters, piped agent names, -Summary, an empty window's error id, the views.
# Run by pester/Invoke-Pester.ps1 in a fresh pwsh with $env:AISWITCH_MODULE_PATH set to the built module folder.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module -Name (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -ErrorAction Stop

    . (Join-Path $PSScriptRoot 'UsageTestData.ps1')
    Add-TestLedgerLine -Agent claude -Model claude-sonnet-5 -TaskType parallel -InputTokens 1000000 -CostUsd 3
    Add-TestLedgerLine -Agent codex -Model gpt-5 -TaskType chain -InputTokens 500 -OutputTokens 20
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Get-AiTokenUsage' {
    It 'gives one flat row per agent, largest first' {
        $rows = Get-AiTokenUsage -Timeframe Day
        $rows | ForEach-Object { $_ | Should -BeOfType ([AiSwitch.TokenUsageRow]) }
        $rows.Group | Should -Be @('claude', 'codex')
        $rows[0].CostUsd | Should -Be 3
        $rows[1].CostUsd | Should -BeNullOrEmpty
        $rows[1].UnpricedRequests | Should -Be 1
    }

    It 'names the unpriced models once per call: one warning, and UnpricedModels in the summary' {
        $null = Get-AiTokenUsage -Timeframe Day -WarningVariable rowWarnings -WarningAction SilentlyContinue
        $summary = Get-AiTokenUsage -Timeframe Day -Summary -WarningVariable summaryWarnings -WarningAction SilentlyContinue
        $rowWarnings | Should -HaveCount 1
        "$rowWarnings" | Should -Match "'gpt-5' \(1 request\)"
        $summaryWarnings | Should -HaveCount 1
        $summary.UnpricedModels | Should -Be @('gpt-5')
    }

    It 'filters by agent, also from the pipeline, and groups by model' {
        (Get-AiTokenUsage -Agent CODEX).Group | Should -Be 'codex'
        ([pscustomobject]@{ Agent = 'claude' } | Get-AiTokenUsage -GroupBy Model).Group | Should -Be 'claude-sonnet-5'
        (Get-AiTokenUsage -Model gpt-5 -GroupBy Day).Group | Should -Be ((Get-Date).ToString('yyyy-MM-dd'))
    }

    It 'reports the usage of the agents Get-AiAgent pipes in' {
        (Get-AiAgent codex | Get-AiTokenUsage).Group | Should -Be 'codex'
        (Get-AiAgent claude, codex | Get-AiTokenUsage -Summary).InputTokens | Should -Be @(1000000, 500)
        Get-AiAgent gemini | Get-AiTokenUsage | Should -BeNullOrEmpty -Because 'gemini has no usage'
    }

    It 'completes the agents and the models in the ledger' {
        (TabExpansion2 -inputScript 'Get-AiTokenUsage -Model gpt' -cursorColumn 27).CompletionMatches.CompletionText | Should -Be 'gpt-5'
        (TabExpansion2 -inputScript 'Get-AiTokenUsage -Model ' -cursorColumn 24).CompletionMatches.CompletionText | Should -Be @('claude-sonnet-5', 'gpt-5')
        (TabExpansion2 -inputScript 'Get-AiTokenUsage -Agent co' -cursorColumn 26).CompletionMatches.CompletionText | Should -Be 'codex'
    }

    It 'exports to CSV without Select-Object' {
        $csv = Get-AiTokenUsage | ConvertTo-Csv | ConvertFrom-Csv
        $csv[0].PSObject.Properties.Name | Should -Contain 'TotalTokens'
    }

    It 'gives the totals with breakdowns by model and task type with -Summary' {
        $summary = Get-AiTokenUsage -Summary
        $summary | Should -BeOfType ([AiSwitch.TokenSummary])
        $summary.InputTokens | Should -Be 1000500
        ($summary.ByTaskType | Where-Object Group -eq 'chain').InputTokens | Should -Be 500
        ($summary.ByModel | Where-Object Group -eq 'claude-sonnet-5').CostUsd | Should -Be 3
    }

    It 'exports the summary to CSV as plain columns, the breakdowns as readable cells' {
        $row = Get-AiTokenUsage -Summary | ConvertTo-Csv | ConvertFrom-Csv
        $row.InputTokens | Should -Be '1000500'
        $row.ByModel | Should -Match '^claude-sonnet-5: \d+'
        $row.ByModel | Should -Not -Match 'System\.'
    }

    It 'refuses an empty window with InvalidArgument' {
        { Get-AiTokenUsage -Since (Get-Date) -Until (Get-Date).AddDays(-1) -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,AiSwitch.PowerShell.Commands.GetAiTokenUsageCommand'
    }

    It 'has a table view and a summary list view' {
        Get-FormatData -TypeName AiSwitch.TokenUsageRow | Should -Not -BeNullOrEmpty
        (Get-AiTokenUsage | Format-Table | Out-String) | Should -Match 'TotalTokens\s+CostUsd'
        (Get-AiTokenUsage -Summary | Format-List | Out-String) | Should -Match 'PeakUsageTime'
    }
}
