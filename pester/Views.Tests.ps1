#Requires -Version 7.4
# The output types as users see them, with objects the cmdlets really produce: every default view reads at 80 and at
# 120 columns (each header on one line and whole, no column dropped, only the last column cut), and every output type
# exports to CSV as clean cells (no .NET type name where a value should be).

BeforeDiscovery {
    # Every AiSwitch type a cmdlet declares it writes ('covers every output type' proves this list is complete).
    $outputTypes = @(
        'AiSwitch.AgentDefinition', 'AiSwitch.AgentMetricsSample', 'AiSwitch.AggregatedResult', 'AiSwitch.AiAgent',
        'AiSwitch.AiModelPrice', 'AiSwitch.AiTask', 'AiSwitch.EnvSnapshot', 'AiSwitch.ImportPresetResult', 'AiSwitch.ImportUsageResult',
        'AiSwitch.Lock', 'AiSwitch.MonitorRow', 'AiSwitch.Preset', 'AiSwitch.ProjectPinStatus', 'AiSwitch.RollbackResult', 'AiSwitch.SwitchResult',
        'AiSwitch.SystemMetricsSample', 'AiSwitch.TaskResult', 'AiSwitch.TokenQuota', 'AiSwitch.TokenSummary', 'AiSwitch.TokenUsageRow')
    $layouts = foreach ($type in $outputTypes) { foreach ($width in 80, 120) { @{ Type = $type; Width = $width } } }
    $outputTypeCases = $outputTypes | ForEach-Object { @{ Type = $_ } }
    $allOutputTypes = @{ Expected = $outputTypes }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/TaskAgents.ps1')
    . (Join-Path $PSScriptRoot 'UsageTestData.ps1')
    $manifest = Initialize-AiTaskTestHome

    # Not records: a job is a handle (Receive-Job gives TaskResults), Export-AiMetrics writes text or a file, and the
    # Remove- and Unregister- cmdlets write nothing.
    $notRecords = 'AiSwitch.AiTaskJob', 'System.String', 'System.IO.FileInfo', 'System.Void'

    $produced = [Collections.Generic.List[object]]::new()
    function Add-Produced { process { $produced.Add($_) } }

    # Presets, environments, snapshots.
    New-AiPreset -Name kimi-work -Description 'Kimi K2 through the Moonshot endpoint, for work on the monorepo' -Tag work, cheap -Variable @{
        ANTHROPIC_BASE_URL = 'https://api.moonshot.ai/anthropic'; ANTHROPIC_AUTH_TOKEN = 'sk-kimi-0123456789abcdef'; ANTHROPIC_MODEL = 'kimi-k2' } | Add-Produced
    $env:VIEWS_OPENAI_KEY = 'sk-views-not-a-real-key'
    New-AiPreset -Name gpt-5-codex -Description 'OpenAI' -Variable @{ OPENAI_BASE_URL = 'https://api.openai.com/v1'; OPENAI_API_KEY = 'env:VIEWS_OPENAI_KEY' } | Add-Produced
    $original = Join-Path $TestDrive 'original-presets'
    New-Item -ItemType Directory -Path $original | Out-Null
    Set-Content -LiteralPath (Join-Path $original 'deepseek.yaml') -Value "description: DeepSeek`nname: deepseek`ntags: []`nvariables:`n  ANTHROPIC_BASE_URL: https://api.deepseek.com/anthropic`n"
    Set-Content -LiteralPath (Join-Path $original 'kimi-work.yaml') -Value "name: kimi-work`nvariables:`n  A: b`n"
    Import-AiPreset -Path $original -WarningAction SilentlyContinue | Add-Produced
    Use-AiPreset kimi-work | Add-Produced
    Switch-AiEnvironment -Preset gpt-5-codex | Add-Produced                    # removes the kimi variables
    Switch-AiEnvironment -Preset kimi-work -Agent first, second | Add-Produced
    $snapshot = Checkpoint-AiEnvironment -Description 'before trying the long-context model on the monorepo'
    $snapshot | Add-Produced
    Checkpoint-AiEnvironment -Agent first | Add-Produced
    Restore-AiEnvironment -SnapshotId $snapshot.SnapshotId -Confirm:$false | Add-Produced
    $pinned = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'projects/monorepo-with-a-long-name/services') -Force
    Set-Content -LiteralPath (Join-Path $pinned '.aiswitch.yaml') -Value "preset: kimi-work`noverrides:`n  ANTHROPIC_MODEL: kimi-k2-long-context`n  ANTHROPIC_AUTH_TOKEN: env:VIEWS_OPENAI_KEY"
    Grant-AiProjectPin -Path $pinned | Add-Produced

    # Locks.
    Lock-AiResource -Name build-web -Expiry 3600 | Add-Produced
    Lock-AiResource -Name deploy-production -Shared | Add-Produced

    # Agents.
    Register-AiAgent -Name reviewer -Adapter jsonrpc -Command /opt/agents/bin/review-agent -Tag review, fast -Preset kimi-work | Add-Produced
    Get-AiAgent | Add-Produced

    # Usage, quotas, metrics.
    Add-TestLedgerLine -Agent claude -Model claude-sonnet-4-5-20250929 -InputTokens 1234567 -OutputTokens 45678 -CostUsd 4.1234567 -TaskType review
    Add-TestLedgerLine -Agent codex -Model gpt-5-codex -InputTokens 23456 -OutputTokens 567 -CostUsd 0.0312
    Add-TestLedgerLine -Agent reviewer -Model kimi-k2 -InputTokens 3456 -OutputTokens 78
    Get-AiTokenUsage | Add-Produced
    Get-AiTokenUsage -GroupBy Model | Add-Produced
    Get-AiTokenUsage -GroupBy Hour | Add-Produced
    Get-AiTokenUsage -Summary | Add-Produced
    Get-AiModelPrice | Add-Produced
    Set-AiTokenQuota -Agent claude -DailyTokens 2000000 -DailyCostUsd 25 | Add-Produced
    Set-AiTokenQuota -Agent '*' -DailyCostUsd 5 | Add-Produced
    $claudeLogs = Join-Path $TestDrive 'claude/projects/-home-me-app'
    New-Item -ItemType Directory -Path $claudeLogs -Force | Out-Null
    '{"type":"assistant","sessionId":"s1","timestamp":"2026-11-21T10:00:01Z","requestId":"req_1","message":{"id":"msg_1","model":"claude-opus-4-8","content":[{"type":"text"}],"usage":{"input_tokens":10,"cache_read_input_tokens":1000,"output_tokens":50}}}' |
        Set-Content -Path (Join-Path $claudeLogs 's1.jsonl')
    Import-AiTokenUsage -Source ClaudeCode -Path $claudeLogs | Add-Produced
    Add-TestMetricsLine -Sample @{ agent = 'reviewer'; status = 'busy'; pid = 4242; cpu_percent = 12.5; memory_mb = 250.25; threads = 12
        response_time_ms = 1234.5; error_count = 1; task_count = 10; uptime_seconds = 3600 }
    Get-AiAgentMetrics | Add-Produced
    Add-TestSystemMetricsLine -Sample @{ cpu_percent = 87.25; memory_used_mb = 18234.5; memory_total_mb = 24032.1; load1 = 12.34; load5 = 10.5; load15 = 9.87; processors = 2 }
    Get-AiAgentMetrics -System | Add-Produced
    Watch-AiAgent -Once | Add-Produced

    # Tasks: the agents' command does not exist, so every task fails with a long, real error message.
    $results = Invoke-AiTask -Agent first, second -Prompt 'Review the diff on this branch and list every problem you find' -ErrorAction SilentlyContinue
    $results | Add-Produced
    $task = Start-AiTask -Agent first -Prompt 'Summarise the changes in this repository since the last release'
    $task | Add-Produced
    $task | Wait-AiTask | Out-Null
    Get-AiTask | Add-Produced
    $results | Merge-AiTaskResult -Strategy FirstSuccess | Add-Produced

    $samples = @{}
    foreach ($group in $produced | Group-Object { $_.PSObject.TypeNames[0] }) {
        $samples[$group.Name] = $group.Group
    }

    # True for a cell that is a .NET type's name (System.String[], SortedDictionary`2[…], AiSwitch.EnvSnapshot).
    function Test-TypeNameCell([string] $Cell) {
        $Cell -match '^[\w.`+]+\.[\w.`+]+(\[.*\])?$' -and $null -ne (($Cell -replace '\[.*$', '') -as [type])
    }

    # The default view of a type: its first view in the module's format data.
    function Get-DefaultView([string] $Type) {
        @((Get-FormatData -TypeName $Type).FormatViewDefinition)[0]
    }

    # A rendered table: its header line, the line above it, its rows, and where its last column starts.
    function Read-Table([string[]] $Lines) {
        $rule = [array]::FindIndex($Lines, [Predicate[string]] { param($line) $line -match '^\s*-+( +-+)*\s*$' })
        $lastStart = ([regex]::Matches($Lines[$rule], '-+') | Select-Object -Last 1).Index
        [pscustomobject]@{
            Header    = $Lines[$rule - 1]
            Above     = if ($rule -ge 2) { $Lines[$rule - 2] } else { '' }
            Rows      = @($Lines | Select-Object -Skip ($rule + 1) | Where-Object { $_.Trim() })
            LastStart = $lastStart
        }
    }
}

AfterAll {
    Get-AiLock | Unlock-AiResource -ErrorAction SilentlyContinue
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Output types' {
    It 'covers every output type the cmdlets declare' -ForEach $allOutputTypes {
        $declared = Get-Command -Module AiSwitch | ForEach-Object OutputType | ForEach-Object { $_.Type.FullName } |
            Where-Object { $_ -and $_ -notin $notRecords } | Sort-Object -Unique
        $declared | Should -Be ($Expected | Sort-Object)
        $samples.Keys | Sort-Object | Should -Be ($Expected | Sort-Object)
    }
}

Describe 'Default views' {
    It '<Type> has a default view' -ForEach $outputTypeCases {
        Get-DefaultView $Type | Should -Not -BeNullOrEmpty
    }

    It '<Type> reads at <Width> columns' -ForEach $layouts {
        $view = Get-DefaultView $Type
        $lines = @(($samples[$Type] | Out-String -Width $Width) -split '\r?\n')
        $lines | Where-Object Length -GT $Width | Should -BeNullOrEmpty -Because "every line fits $Width columns"
        if ($view.Control -is [System.Management.Automation.TableControl]) {
            $labels = @($view.Control.Headers.Label)
            $table = Read-Table $lines
            # A header wrapped letter by letter leaves parts above it; a column that did not fit is missing from it.
            $table.Above.Trim() | Should -BeNullOrEmpty -Because 'each header is on one line'
            $table.Header.Trim() -split '\s+' | Should -Be $labels -Because 'every column shows with its whole header'
            foreach ($row in $table.Rows) {
                $row.Substring(0, [Math]::Min($row.Length, $table.LastStart)) | Should -Not -Match '…' -Because "only the last column may be cut ($row)"
            }
        }
        else {
            foreach ($label in $view.Control.Entries[0].Items | ForEach-Object { $_.Label ?? $_.DisplayEntry.Value }) {
                $lines -match "^$label\s+:" | Should -Not -BeNullOrEmpty -Because "the list shows $label"
            }
        }
    }

    It 'gives a task result''s output most of the line' {
        foreach ($width in 80, 120) {
            $table = Read-Table @(($samples['AiSwitch.TaskResult'] | Out-String -Width $width) -split '\r?\n')
            $table.Header | Should -Match 'Output$'
            $width - $table.LastStart | Should -BeGreaterOrEqual ($width - 50) -Because "at $width columns the output column starts by column 50"
            ($table.Rows -join "`n") | Should -Match "Agent 'first' \(jsonrpc\)"
        }
    }
}

Describe 'CSV export' {
    It '<Type> exports clean cells' -ForEach $outputTypeCases {
        $rows = $samples[$Type] | ConvertTo-Csv | ConvertFrom-Csv
        foreach ($row in $rows) {
            foreach ($cell in $row.PSObject.Properties) {
                Test-TypeNameCell $cell.Value | Should -BeFalse -Because "$Type.$($cell.Name) exports '$($cell.Value)'"
            }
        }
    }

    It 'joins a preset''s tags and variables into readable cells' {
        $row = $samples['AiSwitch.Preset'] | Where-Object Name -EQ kimi-work | ConvertTo-Csv | ConvertFrom-Csv
        $row.Tags | Should -Be 'work, cheap'
        $row.Variables | Should -Be 'ANTHROPIC_AUTH_TOKEN=****cdef; ANTHROPIC_BASE_URL=https://api.moonshot.ai/anthropic; ANTHROPIC_MODEL=kimi-k2'
    }

    It 'keeps collections as collections for scripts and JSON' {
        $preset = $samples['AiSwitch.Preset'] | Where-Object Name -EQ kimi-work
        $preset.Tags | Should -Be @('work', 'cheap')
        $preset.Variables['ANTHROPIC_MODEL'] | Should -Be 'kimi-k2'
        ($preset | ConvertTo-Json | ConvertFrom-Json).Tags | Should -Be @('work', 'cheap')
        $switch = $samples['AiSwitch.SwitchResult'] | Where-Object CurrentPreset -EQ gpt-5-codex
        $switch.VariablesRemoved | Should -Contain 'ANTHROPIC_MODEL'
        ($switch | ConvertTo-Csv | ConvertFrom-Csv).VariablesRemoved | Should -Be 'ANTHROPIC_AUTH_TOKEN, ANTHROPIC_BASE_URL, ANTHROPIC_MODEL'
    }
}
