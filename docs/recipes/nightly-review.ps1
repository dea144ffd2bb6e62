# nightly-review.ps1: a nightly review that leaves a CSV of what each agent said, <OutFolder>/<yyyy-MM-dd>.csv.
# Exits 1 when an agent failed (its row, with the error, is in the CSV too), so the scheduler marks the run failed.
param(
    [string] $Repository = "$HOME/src/app",
    [string] $Preset = 'gpt4',
    [string] $OutFolder = "$HOME/reviews"
)
$ErrorActionPreference = 'Stop'   # an unknown preset or agent, or a folder that cannot be written, ends it here
Import-Module AiSwitch

Get-AiPreset $Preset | Out-Null   # before anything is written: an unknown preset ends the run here
New-Item -ItemType Directory -Force -Path $OutFolder | Out-Null
$csv = Join-Path $OutFolder "$(Get-Date -Format yyyy-MM-dd).csv"

# A failed agent still gets its row; its failure is reported below, once every row is saved.
Invoke-AiTask -Agent claude, codex -Preset $Preset -Parallel -Timeout 900 -Retry 3 -Fallback gemini `
    -CoordinationMode Isolated -WorkingDirectory $Repository `
    -Prompt 'Review the last 24 hours of commits for bugs; list file:line and why.' -ErrorAction SilentlyContinue |
    Tee-Object -Variable results |
    Export-Csv $csv -NoTypeInformation

$failed = @($results | Where-Object { -not $_.Success })
foreach ($result in $failed) {
    Write-Warning "$($result.Agent) failed: $($result.Status) $($result.ErrorId) $($result.Error)"
}
"$($results.Count - $failed.Count) of $($results.Count) reviews saved in $csv"
if ($failed) { exit 1 }
