#Requires -Version 7.4
# AiSwitch beside another binary module that ships an OLDER YamlDotNet in the default load context (as powershell-yaml
# does): imported in either order, in a fresh process each, both parse YAML, each with its own YamlDotNet.
# The neighbour is tests/AiSwitch.PowerShell.Tests.YamlNeighbour (YamlDotNet 13.7.1), laid out by the build in
# artifacts/fixtures/YamlNeighbour. Run by pester/Invoke-Pester.ps1 with $env:AISWITCH_MODULE_PATH set.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/Pwsh.ps1')
    $aiswitch = Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1'
    $neighbour = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' 'artifacts' 'fixtures' 'YamlNeighbour' 'YamlNeighbour.psd1'))
    if (-not (Test-Path -LiteralPath $neighbour)) {
        throw "The fixture module $neighbour is missing. Build it with: dotnet build tests/AiSwitch.PowerShell.Tests (or the solution)."
    }
    $aiswitchYaml = [Reflection.AssemblyName]::GetAssemblyName((Join-Path $env:AISWITCH_MODULE_PATH 'dependencies' 'YamlDotNet.dll')).Version
    $neighbourYaml = [Reflection.AssemblyName]::GetAssemblyName((Join-Path (Split-Path $neighbour) 'YamlDotNet.dll')).Version

    # A preset as a user writes it by hand, for AiSwitch's YamlDotNet to read.
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    $presets = New-Item -ItemType Directory -Force -Path (Join-Path $env:AISWITCH_HOME 'config' 'presets')
    "name: side`ndescription: written by hand`nvariables:`n  SIDE_MODEL: side-model`ntags: []`n" |
        Set-Content -NoNewline -LiteralPath (Join-Path $presets 'side.yaml')

    # Runs Support/SideBySideProbe.ps1 in a fresh pwsh and returns what it found.
    function Invoke-Probe([string] $Order) {
        $child = Invoke-ChildPwsh @('-File', (Join-Path $PSScriptRoot 'Support' 'SideBySideProbe.ps1'),
            '-Order', $Order, '-AiSwitchManifest', $aiswitch, '-NeighbourManifest', $neighbour) @{ AISWITCH_HOME = $env:AISWITCH_HOME }
        if ($child.ExitCode -ne 0) {
            throw "The $Order probe exited with $($child.ExitCode): $($child.Error) $($child.Output)"
        }
        $child.Output | ConvertFrom-Json
    }
}

Describe 'YamlDotNet side by side' {
    It 'the neighbour really is built against an older YamlDotNet than AiSwitch ships' {
        $neighbourYaml.Major | Should -BeLessThan $aiswitchYaml.Major
    }

    It 'imported <_>, both modules parse YAML, each with its own YamlDotNet' -ForEach 'AiSwitchFirst', 'NeighbourFirst' {
        $found = Invoke-Probe -Order $_

        if ($_ -eq 'AiSwitchFirst') { $found.PresetAlone | Should -Be 'side-model' }
        else { $found.NeighbourAlone | Should -Be 'neighbour-model' }
        $found.Preset | Should -Be 'side-model'
        $found.Neighbour | Should -Be 'neighbour-model'
        $found.NeighbourYamlDotNet | Should -Be $neighbourYaml.ToString()
        $found.NeighbourYamlDotNetPath | Should -Be (Join-Path (Split-Path $neighbour) 'YamlDotNet.dll')
        $found.NeighbourLoadContext | Should -Be 'Default'
        $found.YamlDotNets | Should -Be @(
            "AiSwitch.Dependencies $aiswitchYaml $(Join-Path $env:AISWITCH_MODULE_PATH 'dependencies' 'YamlDotNet.dll')"
            "Default $neighbourYaml $(Join-Path (Split-Path $neighbour) 'YamlDotNet.dll')"
        )
    }
}
