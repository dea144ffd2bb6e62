# Test data for the usage cmdlets' Pester tests, written in the documented file formats (docs/usage.md), so the tests
# need no other cmdlet to set them up. Dot-source it after $env:AISWITCH_HOME is set.

function Add-TestLedgerLine {
    # One ledger record in today's (UTC) day file, or that of -Time.
    param(
        [Parameter(Mandatory)] [string] $Agent,
        [string] $Model,
        [long] $InputTokens = 0,
        [long] $OutputTokens = 0,
        [Nullable[decimal]] $CostUsd,
        [string] $TaskType,
        [DateTimeOffset] $Time = [DateTimeOffset]::UtcNow
    )
    $record = [ordered]@{ time = $Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"); agent = $Agent }
    if ($Model) { $record.model = $Model }
    if ($TaskType) { $record.task_type = $TaskType }
    $record.input = $InputTokens
    $record.output = $OutputTokens
    if ($null -ne $CostUsd) { $record.cost_usd = $CostUsd; $record.cost_source = 'pricing' } else { $record.cost_source = 'none' }
    Add-TestLine -Folder 'state/tokens' -Time $Time -Json ($record | ConvertTo-Json -Compress)
}

function Add-TestMetricsLine {
    # One agent metrics sample (snake_case, as the store writes them).
    param([Parameter(Mandatory)] [hashtable] $Sample, [DateTimeOffset] $Time = [DateTimeOffset]::UtcNow)
    $Sample.timestamp = $Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")
    if (-not $Sample.ContainsKey('samples')) { $Sample.samples = 1 }
    Add-TestLine -Folder 'state/metrics' -Time $Time -Json ($Sample | ConvertTo-Json -Compress)
}

function Add-TestSystemMetricsLine {
    # One host sample (snake_case, as the store writes them).
    param([Parameter(Mandatory)] [hashtable] $Sample, [DateTimeOffset] $Time = [DateTimeOffset]::UtcNow)
    $Sample.timestamp = $Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")
    Add-TestLine -Folder 'state/metrics/system' -Time $Time -Json ($Sample | ConvertTo-Json -Compress)
}

function Add-TestLine([string] $Folder, [DateTimeOffset] $Time, [string] $Json) {
    $directory = Join-Path $env:AISWITCH_HOME $Folder
    New-Item -ItemType Directory -Path $directory -Force | Out-Null
    Add-Content -Path (Join-Path $directory ($Time.UtcDateTime.ToString('yyyy-MM-dd') + '.jsonl')) -Value $Json
}
