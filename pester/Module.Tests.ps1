#Requires -Version 7.4
# The module as a whole: the manifest imports, every exported cmdlet exists and is documented, format and types data load.
# Run by pester/Invoke-Pester.ps1 in a fresh pwsh with $env:AISWITCH_MODULE_PATH set to the built module folder.

BeforeDiscovery {
    $manifestData = Import-PowerShellDataFile -LiteralPath (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1')
    $exportedCmdlets = @($manifestData.CmdletsToExport)
    [xml] $formatXml = Get-Content -Raw -LiteralPath (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.format.ps1xml')
    $formattedTypes = @($formatXml.SelectNodes('//View/ViewSelectedBy/TypeName') | ForEach-Object { $_.InnerText.Trim() } | Sort-Object -Unique)
    [xml] $typesXml = Get-Content -Raw -LiteralPath (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.types.ps1xml')
    $extendedTypes = @($typesXml.SelectNodes('/Types/Type/Name') | ForEach-Object { $_.InnerText.Trim() } | Sort-Object -Unique)
}

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    $manifestPath = Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1'
    $manifestData = Import-PowerShellDataFile -LiteralPath $manifestPath
    $module = Import-Module -Name $manifestPath -Force -PassThru -ErrorAction Stop
    $docsFolder = Join-Path $PSScriptRoot '..' 'docs' 'cmdlets'
    # Discovery-time variables do not reach the run phase in Pester 5; read the view list again.
    [xml] $formatXml = Get-Content -Raw -LiteralPath (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.format.ps1xml')
    $viewTypeCount = @($formatXml.SelectNodes('//View/ViewSelectedBy/TypeName') | ForEach-Object { $_.InnerText.Trim() } | Sort-Object -Unique).Count
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'The AiSwitch manifest' {
    It 'passes Test-ModuleManifest' {
        Test-ModuleManifest -Path $manifestPath -ErrorAction Stop | Should -Not -BeNullOrEmpty
    }

    It 'imports at the version the manifest states' {
        $module.Version | Should -Be ([version] $manifestData.ModuleVersion)
    }

    It 'is for PowerShell 7.4 on Core' {
        $module.CompatiblePSEditions -join ',' | Should -Be 'Core'
        $module.PowerShellVersion | Should -Be ([version] '7.4')
    }

    It 'exports exactly the cmdlets it lists' {
        # Joined, so an empty list on either side is compared too (an empty pipeline gives Should nothing to check).
        ($module.ExportedCmdlets.Keys | Sort-Object) -join ',' | Should -Be (($manifestData.CmdletsToExport | Sort-Object) -join ',')
    }

    It 'exports no functions, variables or aliases' {
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedVariables.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
    }

    It 'loads AiSwitch.Core only in its private load context' {
        # Core loads on first use, not at import: run a cmdlet that needs it first.
        $null = Get-AiPreset
        $holders = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object {
            @($_.Assemblies | Where-Object { $_.GetName().Name -eq 'AiSwitch.Core' }).Count -gt 0
        }
        @($holders).Name -join ',' | Should -Be 'AiSwitch.Dependencies'
    }

    It 'takes every -Timeout as seconds of one type, a Double' {
        $timeouts = Get-Command -Module AiSwitch -CommandType Cmdlet | Where-Object { $_.Parameters.ContainsKey('Timeout') } | ForEach-Object {
            $type = $_.Parameters['Timeout'].ParameterType
            "$($_.Name): $(([Nullable]::GetUnderlyingType($type) ?? $type).Name)"
        }
        $timeouts.Count | Should -BeGreaterThan 4
        $timeouts | Where-Object { $_ -notmatch ': Double$' } | Should -BeNullOrEmpty
    }
}

Describe 'Exported cmdlet <_>' -ForEach $exportedCmdlets {
    BeforeAll {
        $name = $_
        $command = Get-Command -Name $name -Module AiSwitch -CommandType Cmdlet -ErrorAction SilentlyContinue
    }

    It 'exists in the module' {
        $command | Should -Not -BeNullOrEmpty
        $command.ImplementingType.Assembly.GetName().Name | Should -Be 'AiSwitch.PowerShell'
    }

    It 'has help with its syntax' {
        $help = Get-Help -Name $name -ErrorAction Stop
        $help.Name | Should -Be $name
        $help.syntax | Should -Not -BeNullOrEmpty
    }

    It 'has a page in docs/cmdlets with a PowerShell example' {
        $page = Join-Path $docsFolder "$name.md"
        $page | Should -Exist
        Get-Content -Raw -LiteralPath $page | Should -Match '```powershell'
    }
}

Describe 'Format data' {
    It 'the module loads its format file' {
        $module.ExportedFormatFiles | Should -Contain (Join-Path $module.ModuleBase 'AiSwitch.format.ps1xml')
    }

    It 'has a view for <_>' -ForEach $formattedTypes {
        Get-FormatData -TypeName $_ | Should -Not -BeNullOrEmpty
    }

    It 'loads every view under AiSwitch.*' {
        @(Get-FormatData -TypeName 'AiSwitch.*').Count | Should -Be $viewTypeCount
    }
}

Describe 'Types data' {
    It 'the module loads its types file' {
        $module.ExportedTypeFiles | Should -Contain (Join-Path $module.ModuleBase 'AiSwitch.types.ps1xml')
    }

    It 'extends <_>' -ForEach $extendedTypes {
        Get-TypeData -TypeName $_ | Should -Not -BeNullOrEmpty
    }
}
