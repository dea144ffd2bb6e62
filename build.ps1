#Requires -Version 7.4
<#
.SYNOPSIS
    Build, test and package AiSwitch from pwsh (`dotnet pwsh ./build.ps1` with the repository's tool). CI runs .ci/run.

.DESCRIPTION
    Build    dotnet build of the solution; lays out the importable module in artifacts/module/AiSwitch.
    Test     dotnet test (xunit, contract tests), then the Pester tests in pester/ against the built module
             (Pester 5.7.1 restored from NuGet by pester/Pester.Restore.csproj).
    Package  artifacts/packages/AiSwitch.<version>.nupkg (the module, for PSGallery) and AiSwitch.Cli.<version>.nupkg
             (the `aiswitch` .NET tool: dotnet tool install -g AiSwitch.Cli --add-source artifacts/packages).
    Clean    dotnet clean and remove artifacts/.

.EXAMPLE
    ./build.ps1 Build, Test
.EXAMPLE
    ./build.ps1 Package -Configuration Release
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Package', 'Clean')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$solution = Join-Path $PSScriptRoot 'AiSwitch.PowerShell.sln'
$artifacts = Join-Path $PSScriptRoot 'artifacts'
$moduleDir = Join-Path $artifacts 'module' 'AiSwitch'
$packages = Join-Path $artifacts 'packages'
$testResults = Join-Path $artifacts 'test-results'

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-BuildTask {
    Invoke-Dotnet build $solution -c $Configuration
}

function Invoke-TestTask {
    Remove-Item -Recurse -Force -LiteralPath $testResults -ErrorAction SilentlyContinue
    $failed = @()
    & dotnet test $solution -c $Configuration --logger trx --results-directory $testResults
    if ($LASTEXITCODE -ne 0) { $failed += 'dotnet test' }
    Invoke-Dotnet restore (Join-Path $PSScriptRoot 'pester' 'Pester.Restore.csproj')
    & (Join-Path $PSScriptRoot 'pester' 'Invoke-Pester.ps1') -ModulePath $moduleDir -SummaryPath (Join-Path $testResults 'pester-summary.json')
    if ($LASTEXITCODE -ne 0) { $failed += 'Pester' }
    if ($failed) { throw "Tests failed: $($failed -join ', ')." }
}

function Invoke-PackageTask {
    Invoke-BuildTask
    New-Item -ItemType Directory -Force -Path $packages | Out-Null
    $version = (Import-PowerShellDataFile -LiteralPath (Join-Path $moduleDir 'AiSwitch.psd1')).ModuleVersion
    Remove-Item -Force -Path (Join-Path $packages "AiSwitch.$version.nupkg") -ErrorAction SilentlyContinue

    # The module package is what Publish-PSResource uploads to PSGallery; a folder repository makes the same .nupkg offline.
    $repository = "AiSwitchBuild$PID"
    Register-PSResourceRepository -Name $repository -Uri $packages -Trusted
    try {
        Publish-PSResource -Path $moduleDir -Repository $repository
    }
    finally {
        Unregister-PSResourceRepository -Name $repository
    }

    Invoke-Dotnet pack (Join-Path $PSScriptRoot 'src' 'AiSwitch.Cli' 'AiSwitch.Cli.csproj') -c $Configuration -o $packages
    Get-ChildItem -LiteralPath $packages -Filter '*.nupkg' | ForEach-Object { Write-Host "package: $($_.FullName)" }
}

function Invoke-CleanTask {
    Invoke-Dotnet clean $solution -c $Configuration
    Remove-Item -Recurse -Force -LiteralPath $artifacts -ErrorAction SilentlyContinue
}

foreach ($name in $Task) {
    Write-Host "== $name"
    & "Invoke-$($name)Task"
}
