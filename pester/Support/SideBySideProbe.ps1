# Run in a fresh child pwsh by YamlDotNet.SideBySide.Tests.ps1: imports AiSwitch and the YamlNeighbour fixture module in
# the given order, makes each parse YAML right after its import and again once both are in, and writes what happened
# as JSON. AiSwitch's Core (and its YamlDotNet) loads on first use, so Get-AiPreset runs before the second import.
param(
    [Parameter(Mandatory)] [ValidateSet('AiSwitchFirst', 'NeighbourFirst')] [string] $Order,
    [Parameter(Mandatory)] [string] $AiSwitchManifest,
    [Parameter(Mandatory)] [string] $NeighbourManifest
)
$ErrorActionPreference = 'Stop'

function Read-Preset { (Get-AiPreset -Name side).Variables['SIDE_MODEL'] }
function Read-Neighbour { ConvertFrom-NeighbourYaml "model: neighbour-model`nsize: '3'" }

$steps = [ordered]@{}
if ($Order -eq 'AiSwitchFirst') {
    Import-Module $AiSwitchManifest
    $steps.PresetAlone = Read-Preset
    Import-Module $NeighbourManifest
}
else {
    Import-Module $NeighbourManifest
    $steps.NeighbourAlone = (Read-Neighbour).Data['model']
    Import-Module $AiSwitchManifest
}
$neighbour = Read-Neighbour
$steps.Preset = Read-Preset
$steps.Neighbour = $neighbour.Data['model']
$steps.NeighbourYamlDotNet = $neighbour.YamlDotNetVersion
$steps.NeighbourYamlDotNetPath = $neighbour.YamlDotNetPath
$steps.NeighbourLoadContext = $neighbour.LoadContext
# Every YamlDotNet in the process, by load context: one for each module, each from its own folder.
$steps.YamlDotNets = @([System.Runtime.Loader.AssemblyLoadContext]::All | ForEach-Object {
        $context = $_
        $context.Assemblies | Where-Object { $_.GetName().Name -eq 'YamlDotNet' } | ForEach-Object {
            "$($context.Name) $($_.GetName().Version) $($_.Location)"
        }
    } | Sort-Object)
$steps | ConvertTo-Json -Compress
