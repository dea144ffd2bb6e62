#Requires -Version 7.4
<#
.SYNOPSIS
    Runs every pester/*.Tests.ps1 against a built AiSwitch module, each file in a fresh child pwsh, and writes the
    totals as {"passed":N,"failed":N,"skipped":N} for .ci/totals.py.

.DESCRIPTION
    Pester comes from NuGet, pinned in pester/Pester.Restore.csproj: `dotnet restore pester/Pester.Restore.csproj`
    puts it in the NuGet global packages folder, where this script finds it (or pass -PesterManifest). It never
    installs anything from PSGallery.

    Each test file runs in its own process because the cmdlets change process state (environment variables, held
    locks) and a binary module cannot be unloaded. The child is the same pwsh this script runs in, whether that is a
    native pwsh or the .NET tool (`dotnet pwsh`, where the process is dotnet and pwsh.dll is in $PSHOME). The child
    sees the module folder as $env:AISWITCH_MODULE_PATH and a fresh temporary $env:AISWITCH_HOME. A file that cannot
    run to the end (syntax error, crash, exit code without failures, more than -FileTimeoutMinutes) counts as a failure.

.EXAMPLE
    dotnet pwsh -NoProfile -File pester/Invoke-Pester.ps1 -ModulePath artifacts/module/AiSwitch -SummaryPath artifacts/test-results/pester-summary.json
#>
[CmdletBinding(DefaultParameterSetName = 'All')]
param(
    # The built module folder (artifacts/module/AiSwitch).
    [Parameter(Mandatory, ParameterSetName = 'All')]
    [Parameter(Mandatory, ParameterSetName = 'OneFile')]
    [string] $ModulePath,

    # Where the totals go, as JSON.
    [Parameter(Mandatory, ParameterSetName = 'All')]
    [Parameter(Mandatory, ParameterSetName = 'OneFile')]
    [string] $SummaryPath,

    # Only these test files (names or paths); all of pester/*.Tests.ps1 by default.
    [Parameter(ParameterSetName = 'All')]
    [string[]] $Path,

    # Pester.psd1 to use; by default the version pinned in Pester.Restore.csproj, from the NuGet global packages folder.
    [Parameter(ParameterSetName = 'All')]
    [Parameter(Mandatory, ParameterSetName = 'OneFile')]
    [string] $PesterManifest,

    # A test file still running after this long is killed (with its process tree) and counts as a failure.
    [Parameter(ParameterSetName = 'All')]
    [ValidateRange(1, 60)]
    [int] $FileTimeoutMinutes = 10,

    # Internal: the child process's one test file.
    [Parameter(Mandatory, ParameterSetName = 'OneFile')]
    [string] $TestFile
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Write-Summary([string] $Destination, [int] $Passed, [int] $Failed, [int] $Skipped, [string[]] $FailedTests = @()) {
    $folder = Split-Path -Parent $Destination
    if ($folder) { New-Item -ItemType Directory -Force -Path $folder | Out-Null }
    [ordered]@{ passed = $Passed; failed = $Failed; skipped = $Skipped; failedTests = @($FailedTests) } |
        ConvertTo-Json -Compress |
        Set-Content -LiteralPath $Destination -Encoding utf8NoBOM
}

function Find-PinnedPester {
    $project = Join-Path $PSScriptRoot 'Pester.Restore.csproj'
    $download = ([xml] (Get-Content -Raw -LiteralPath $project)).SelectSingleNode('//PackageDownload[@Include="Pester"]')
    $version = $download.GetAttribute('Version').Trim('[', ']')

    $packages = $env:NUGET_PACKAGES
    if (-not $packages) {
        # "global-packages: /root/.nuget/packages/"
        $listed = & dotnet nuget locals global-packages --list
        if ($LASTEXITCODE -ne 0 -or "$listed" -notmatch '^global-packages:\s*(.+?)\s*$') {
            throw "Could not ask dotnet for the NuGet global packages folder ('dotnet nuget locals global-packages --list' said: $listed). Set NUGET_PACKAGES, or pass -PesterManifest."
        }
        $packages = $Matches[1]
    }
    $manifest = Join-Path $packages 'pester' $version 'tools' 'Pester.psd1'
    if (-not (Test-Path -LiteralPath $manifest)) {
        throw "Pester $version is not in the NuGet global packages folder ($manifest is missing). Run: dotnet restore $project"
    }
    $manifest
}

. (Join-Path $PSScriptRoot 'Support/Pwsh.ps1')

# Whether a Pester block or container holds a failed test, at any depth.
function Test-FailedTestIn($node) {
    $tests = if ($node.PSObject.Properties['Tests']) { $node.Tests } else { @() }
    @($tests | Where-Object Result -eq 'Failed').Count -gt 0 -or
        @($node.Blocks | Where-Object { Test-FailedTestIn $_ }).Count -gt 0
}

function Get-FirstError($node) {
    "$(@($node.ErrorRecord)[0])".Split("`n")[0].Trim()
}

$summaryFile = [IO.Path]::GetFullPath($SummaryPath, (Get-Location).ProviderPath)

if ($PSCmdlet.ParameterSetName -eq 'OneFile') {
    # In the fresh child process: one test file, its counts to $SummaryPath.
    $env:AISWITCH_MODULE_PATH = $ModulePath
    Import-Module -Name $PesterManifest -Force
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = $TestFile
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $configuration
    # A BeforeAll that throws fails its block and every test in it: count those tests, and the block itself only when
    # none of its tests failed (a throwing AfterAll, or a file that does not parse).
    $broken = @(
        $result.FailedBlocks | Where-Object { -not (Test-FailedTestIn $_) } | ForEach-Object { "$($_.ExpandedPath) (its BeforeAll or AfterAll failed: $(Get-FirstError $_))" }
        $result.FailedContainers | Where-Object { -not (Test-FailedTestIn $_) } | ForEach-Object { "$($_.Item) (the file failed: $(Get-FirstError $_))" })
    $failedTests = @($result.Failed | ForEach-Object { $_.ExpandedPath }) + $broken
    $failed = $failedTests.Count
    Write-Summary $summaryFile $result.PassedCount $failed ($result.SkippedCount + $result.NotRunCount) $failedTests
    exit ([int]($failed -gt 0))
}

$totals = @{ Passed = 0; Failed = 0; Skipped = 0 }
$failures = [Collections.Generic.List[string]]::new()
$files = @()
try {
    $module = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
    if (-not (Test-Path -LiteralPath (Join-Path $module 'AiSwitch.psd1'))) {
        throw "No AiSwitch.psd1 in '$module'. Build first (dotnet build), or pass the built module folder as -ModulePath."
    }
    $files = @(if ($Path) {
            $Path | ForEach-Object { Get-Item -LiteralPath $(if (Test-Path -LiteralPath $_) { $_ } else { Join-Path $PSScriptRoot $_ }) }
        }
        else {
            Get-ChildItem -Path $PSScriptRoot -Filter '*.Tests.ps1' | Sort-Object Name
        })
    $pester = if ($PesterManifest) { (Resolve-Path -LiteralPath $PesterManifest).ProviderPath } else { Find-PinnedPester }
    $pwsh = Get-PwshCommand
}
catch {
    # Nothing can run: that is one counted failure, not a note.
    Write-Host "Pester cannot run: $($_.Exception.Message)" -ForegroundColor Red
    Write-Summary $summaryFile 0 1 0 @("Invoke-Pester.ps1: $($_.Exception.Message)")
    exit 1
}

Write-Host "Pester $((Import-PowerShellDataFile -LiteralPath $pester).ModuleVersion) from $pester; child shells: $($pwsh -join ' ')"
foreach ($file in $files) {
    Write-Host "== $($file.Name)"
    $fileSummary = Join-Path ([IO.Path]::GetTempPath()) "aiswitch-pester-$([guid]::NewGuid().ToString('N')).json"
    $start = New-PwshStartInfo @('-File', $PSCommandPath, '-ModulePath', $module, '-SummaryPath', $fileSummary,
        '-TestFile', $file.FullName, '-PesterManifest', $pester)
    # A test that forgets to set its own home still never touches the user's ~/.aiswitch.
    $testHome = New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "aiswitch-pester-home-$([guid]::NewGuid().ToString('N'))")
    $start.Environment['AISWITCH_HOME'] = $testHome.FullName

    $child = [Diagnostics.Process]::Start($start)
    $finished = $child.WaitForExit([timespan]::FromMinutes($FileTimeoutMinutes))
    if (-not $finished) {
        $child.Kill($true)
        $child.WaitForExit()
    }
    $exitCode = $child.ExitCode
    $child.Dispose()
    Remove-Item -LiteralPath $testHome.FullName -Recurse -Force -ErrorAction SilentlyContinue

    $counts = $null
    if (Test-Path -LiteralPath $fileSummary) {
        $counts = Get-Content -LiteralPath $fileSummary -Raw | ConvertFrom-Json
        Remove-Item -LiteralPath $fileSummary
        $totals.Passed += $counts.passed
        $totals.Failed += $counts.failed
        $totals.Skipped += $counts.skipped
        $counts.failedTests | ForEach-Object { $failures.Add("$($file.Name): $_") }
    }
    $died = if (-not $finished) { "was killed after $FileTimeoutMinutes min" }
    elseif (-not $counts) { "did not run to the end (exit code $exitCode)" }
    elseif ($exitCode -ne 0 -and $counts.failed -eq 0) { "exited with code $exitCode after reporting no failure" }
    if ($died) {
        # Whatever it reported before, the file as a whole counts as one more failure.
        Write-Host "$($file.Name) $died." -ForegroundColor Red
        $totals.Failed += 1
        $failures.Add("$($file.Name): the file $died")
    }
}

Write-Summary $summaryFile $totals.Passed $totals.Failed $totals.Skipped $failures
if ($failures.Count) {
    Write-Host "Pester failures:" -ForegroundColor Red
    $failures | ForEach-Object { Write-Host "  $_" -ForegroundColor Red }
}
Write-Host "Pester: $($totals.Passed) passed, $($totals.Failed) failed, $($totals.Skipped) skipped in $($files.Count) files"
exit ([int]($totals.Failed -gt 0))
