# Runs commands in a child `pwsh -NonInteractive` (as a scheduled job or CI runs them) with the AiSwitch module imported
# and this test's AISWITCH_HOME, so a cmdlet that would ask for confirmation fails there instead of waiting for an
# answer. Returns one line per command: 'ok', or 'failed: ' and the error. Dot-source Support/Pwsh.ps1 first.
function Invoke-NonInteractive([string[]] $Command) {
    $manifest = Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1'
    $steps = foreach ($line in $Command) {
        "try { $line | Out-Null; 'ok' } catch { 'failed: ' + `$_.Exception.Message }"
    }
    $script = "`$ErrorActionPreference = 'Stop'; Import-Module -Name '$manifest'`n" + ($steps -join "`n")
    $start = New-PwshStartInfo @('-Command', $script)
    $start.RedirectStandardOutput = $true
    $start.Environment['AISWITCH_HOME'] = $env:AISWITCH_HOME
    $child = [Diagnostics.Process]::Start($start)
    try {
        $output = $child.StandardOutput.ReadToEnd()
        $child.WaitForExit()
        @($output -split '\r?\n' | Where-Object { $_ })
    }
    finally {
        $child.Dispose()
    }
}

# What a removal does in such a shell, for three names in turn: as it is, with $ConfirmPreference lowered to Medium, then
# with -Force, then with -Force -Confirm. $Command names its target with {0}. A cmdlet that removes without asking by
# default, takes -Force for a lowered $ConfirmPreference and still asks for an explicit -Confirm gives
# 'ok | failed: …NonInteractive… | ok | failed: …NonInteractive…'.
function Get-RemovalOutcome([string] $Command, [string[]] $Names) {
    (Invoke-NonInteractive @(
        ($Command -f $Names[0])
        ('$ConfirmPreference = ''Medium''; ' + ($Command -f $Names[1]))
        (($Command -f $Names[1]) + ' -Force')
        (($Command -f $Names[2]) + ' -Force -Confirm'))) -join ' | '
}
