# runbook.ps1: an incident runbook step. Asks two agents at once for a diagnosis of the latest errors, waits with a
# deadline, and goes on with whatever came back. Exits 1 when no agent answered, so the runbook can tell.
param(
    [string] $LogPath = '/var/log/app/error.log',
    [string] $Preset = 'ops',
    [string[]] $Agent = @('claude', 'codex'),
    [int] $DeadlineSeconds = 180
)
$ErrorActionPreference = 'Stop'   # a missing log, an unknown preset or agent ends the step here, with exit code 1
Import-Module AiSwitch

$logs = Get-Content $LogPath -Tail 200 | Out-String
$task = Start-AiTask -Agent $Agent -Preset $Preset -Timeout 120 -Retry 2 `
    -SystemPrompt 'You are an SRE. Be brief.' `
    -Prompt "Diagnose these errors and give the single most likely cause:`n$logs"

$finished = $task | Wait-AiTask -Timeout $DeadlineSeconds
if (-not $finished) { $task | Stop-AiTask | Out-Null }   # past the deadline: stop the agents, keep what finished

# One agent failing is not the end of the step: each failed result is reported here, and the others are used.
$results = @(Receive-AiTaskResult $task.TaskId -ErrorAction SilentlyContinue)
foreach ($failed in $results | Where-Object { -not $_.Success }) {
    Write-Warning "$($failed.Agent) gave no diagnosis: $($failed.Status) $($failed.ErrorId) $($failed.Error)"
}
if (-not ($results | Where-Object Success)) {
    Write-Warning "No diagnosis of $LogPath from $($Agent -join ', ') (preset $Preset)."
    exit 1
}
$answer = $results | Merge-AiTaskResult -Strategy FirstSuccess
"Diagnosis ($($answer.Winner), agreement $($answer.Agreement)): $($answer.Output)"
