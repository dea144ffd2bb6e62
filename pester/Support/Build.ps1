# A file that 'dotnet build' puts beside a project of this repository, in the same build configuration as the module
# under test (Debug or Release), so tests never mix builds. A missing build fails the test; it never skips.
function Get-AiSwitchBuildFile([string] $Project, [string] $File) {
    $module = Get-Module -Name AiSwitch
    if (-not $module) { throw "Import the AiSwitch module before looking for $File." }
    $configuration = $module.ImplementingAssembly.GetCustomAttributes([Reflection.AssemblyConfigurationAttribute], $false)[0].Configuration
    $repo = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $path = Join-Path $repo 'src' $Project 'bin' $configuration 'net8.0' $File
    if (-not (Test-Path -LiteralPath $path)) {
        throw "$File is not built at $path. Run 'dotnet build AiSwitch.PowerShell.sln -c $configuration'."
    }
    $path
}
