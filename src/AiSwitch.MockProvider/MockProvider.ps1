# Starts and stops the mock provider (aiswitch-mock, docs/mock-provider.md) from PowerShell: dot-source this file.
# Used by ./demo and the Pester tests.

# Starts the built aiswitch-mock.dll on a free port of 127.0.0.1 and returns [pscustomobject]@{ Process; Url } once it
# listens. Stop it with Stop-MockProvider.
function Start-MockProvider([Parameter(Mandatory)] [string] $Dll) {
    if (-not (Test-Path -LiteralPath $Dll)) {
        throw "The mock provider is not built at $Dll. Run 'dotnet build src/AiSwitch.MockProvider -c Release' (or Debug, as in the path)."
    }
    $start = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in $Dll, '--port', '0') { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    $mock = [pscustomobject]@{ Process = [Diagnostics.Process]::Start($start); Url = $null }
    # Its first stdout line is its base URL; null when it exited first (its reason is on stderr).
    $firstLine = $mock.Process.StandardOutput.ReadLineAsync()
    if (-not $firstLine.Wait([timespan]::FromSeconds(60)) -or -not $firstLine.Result) {
        $exited = $mock.Process.HasExited
        Stop-MockProvider $mock
        throw "The mock provider ($Dll --port 0) gave no URL within 60 s (exited: $exited); its error, if any, is on stderr."
    }
    $mock.Url = $firstLine.Result
    $mock
}

# Stops a mock provider that Start-MockProvider started (its process tree), and waits until it has ended.
function Stop-MockProvider($Mock) {
    if (-not $Mock) { return }
    if (-not $Mock.Process.HasExited) {
        $Mock.Process.Kill($true)
        $Mock.Process.WaitForExit()
    }
    $Mock.Process.Dispose()
}
