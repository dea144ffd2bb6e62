# A neighbour module that loads its own, older YamlDotNet into the default load context at import.
@{
    RootModule           = 'YamlNeighbour.dll'
    ModuleVersion        = '1.0.0'
    GUID                 = '0b6f1c9e-3a52-4f7e-9d0c-6e1f2a4b8c31'
    Author               = 'AiSwitch contributors'
    Description          = 'Test fixture: a binary module built against YamlDotNet 13.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'
    RequiredAssemblies   = @('YamlDotNet.dll')
    CmdletsToExport      = @('ConvertFrom-NeighbourYaml')
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
