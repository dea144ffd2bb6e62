# The command line that starts another pwsh like the current one, as an array: the executable, then any arguments that
# must come before pwsh's own. A native pwsh is its own executable; under the .NET tool host (`dotnet pwsh`) the process
# is dotnet, so `(Get-Process -Id $PID).Path` alone would start dotnet, and pwsh.dll in $PSHOME is what it must run.
function Get-PwshCommand {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'pwsh') {
        return , @($process)
    }
    $dll = Join-Path $PSHOME 'pwsh.dll'
    if (-not (Test-Path -LiteralPath $dll)) {
        throw "This PowerShell runs as '$process' and has no pwsh.dll in `$PSHOME ($PSHOME), so a child shell cannot be started. Run it with pwsh or 'dotnet pwsh'."
    }
    , @($process, $dll)
}

# A ProcessStartInfo for a child pwsh like the current one, with -NoProfile -NonInteractive and then $Arguments.
function New-PwshStartInfo([string[]] $Arguments) {
    $command = Get-PwshCommand
    $start = [Diagnostics.ProcessStartInfo]::new($command[0])
    foreach ($argument in @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive') + $Arguments) {
        $start.ArgumentList.Add($argument)
    }
    $start.UseShellExecute = $false
    $start
}

# Runs a process to its end with stdout and stderr captured: [pscustomobject]@{ ExitCode; Output; Error }, the text
# without the colours' escape sequences (pwsh and Pester colour their output even when it is redirected).
function Invoke-CapturedProcess([Diagnostics.ProcessStartInfo] $Start) {
    $Start.RedirectStandardOutput = $true
    $Start.RedirectStandardError = $true
    $process = [Diagnostics.Process]::Start($Start)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    $process.WaitForExit()
    # The streams end when every process holding them has: a child it left running keeps them open.
    if (-not [Threading.Tasks.Task]::WaitAll(@($stdout, $stderr), [timespan]::FromSeconds(30))) {
        throw "$($Start.FileName) $($Start.ArgumentList -join ' ') exited ($($process.ExitCode)) but a process it started still holds its output open: it left a child running."
    }
    $plain = { param($text) $text -replace '\e\[[0-9;?]*[A-Za-z]', '' }
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = & $plain $stdout.Result; Error = & $plain $stderr.Result }
}

# Runs a child pwsh like the current one with $Arguments to its end (Invoke-CapturedProcess) and returns its exit code,
# standard output and standard error. $Environment adds or replaces variables for the child only.
function Invoke-ChildPwsh([string[]] $Arguments, [hashtable] $Environment = @{}) {
    $start = New-PwshStartInfo $Arguments
    foreach ($name in $Environment.Keys) {
        $start.Environment[$name] = $Environment[$name]
    }
    Invoke-CapturedProcess $start
}
