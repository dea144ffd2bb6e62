#Requires -Version 7.4
<#
.SYNOPSIS
    Runs every pester/*.Tests.ps1 against a built AiSwitch module, each file in a fresh `pwsh -NoProfile`, and writes
    the totals as {"passed":N,"failed":N,"skipped":N} for .ci/totals.py.

.DESCRIPTION
    Uses an installed Pester 5 if there is one; otherwise saves Pester 5 from PSGallery into a temporary folder
    (never into the user's modules). Each test file runs in its own process because the cmdlets change process state
    (environment variables, held locks) and a binary module cannot be unloaded. The child processes see the module
    folder as $env:AISWITCH_MODULE_PATH. A file that cannot run at all (syntax error, failing BeforeAll) counts as a failure.

.EXAMPLE
    pwsh -NoProfile -File pester/Invoke-Pester.ps1 -ModulePath artifacts/module/AiSwitch -SummaryPath artifacts/test-results/pester-summary.json
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

    # Internal: the child process's one test file and the Pester manifest it imports.
    [Parameter(Mandatory, ParameterSetName = 'OneFile')]
    [string] $TestFile,

    [Parameter(Mandatory, ParameterSetName = 'OneFile')]
    [string] $PesterManifest
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Write-Summary([string] $Destination, [int] $Passed, [int] $Failed, [int] $Skipped) {
    $folder = Split-Path -Parent $Destination
    if ($folder) { New-Item -ItemType Directory -Force -Path $folder | Out-Null }
    [ordered]@{ passed = $Passed; failed = $Failed; skipped = $Skipped } |
        ConvertTo-Json -Compress |
        Set-Content -LiteralPath $Destination -Encoding utf8NoBOM
}

function Get-Pester5 {
    $installed = Get-Module -ListAvailable -Name Pester |
        Where-Object { $_.Version.Major -eq 5 } |
        Sort-Object Version -Descending |
        Select-Object -First 1
    if ($installed) { return $installed.Path }

    $folder = Join-Path ([IO.Path]::GetTempPath()) 'aiswitch-pester5'
    $saved = Get-ChildItem -Path $folder -Filter Pester.psd1 -Recurse -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $saved) {
        Write-Host "Pester 5 is not installed; saving it from PSGallery to $folder"
        New-Item -ItemType Directory -Force -Path $folder | Out-Null
        if (Get-Command Save-PSResource -ErrorAction SilentlyContinue) {
            Save-PSResource -Name Pester -Version '[5.5.0,6.0.0)' -Path $folder -Repository PSGallery -TrustRepository -Quiet
        }
        else {
            Save-Module -Name Pester -MinimumVersion 5.5.0 -MaximumVersion 5.99.99 -Path $folder -Repository PSGallery -Force
        }
        $saved = Get-ChildItem -Path $folder -Filter Pester.psd1 -Recurse | Select-Object -First 1
    }
    return $saved.FullName
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
    $failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Write-Summary $summaryFile $result.PassedCount $failed ($result.SkippedCount + $result.NotRunCount)
    exit ([int]($failed -gt 0))
}

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

try {
    $pester = Get-Pester5
}
catch {
    Write-Host "Could not find or save Pester 5: $($_.Exception.Message)" -ForegroundColor Red
    Write-Summary $summaryFile 0 1 0
    exit 1
}

$totals = @{ Passed = 0; Failed = 0; Skipped = 0 }
$pwsh = (Get-Process -Id $PID).Path
foreach ($file in $files) {
    Write-Host "== $($file.Name)"
    $fileSummary = Join-Path ([IO.Path]::GetTempPath()) "aiswitch-pester-$([guid]::NewGuid().ToString('N')).json"
    & $pwsh -NoProfile -NonInteractive -File $PSCommandPath -ModulePath $module -SummaryPath $fileSummary -TestFile $file.FullName -PesterManifest $pester
    if (Test-Path -LiteralPath $fileSummary) {
        $counts = Get-Content -LiteralPath $fileSummary -Raw | ConvertFrom-Json
        Remove-Item -LiteralPath $fileSummary
        $totals.Passed += $counts.passed
        $totals.Failed += $counts.failed
        $totals.Skipped += $counts.skipped
    }
    else {
        # The child died before Pester could report: the whole file counts as one failure.
        Write-Host "$($file.Name) did not run to the end (exit code $LASTEXITCODE)." -ForegroundColor Red
        $totals.Failed += 1
    }
}

Write-Summary $summaryFile $totals.Passed $totals.Failed $totals.Skipped
Write-Host "Pester: $($totals.Passed) passed, $($totals.Failed) failed, $($totals.Skipped) skipped in $($files.Count) files"
exit ([int]($totals.Failed -gt 0))
