# A manifest that breaks every rule the manifest checker enforces.
@{
    RootModule           = "AiSwitch.PowerShell.Tests.Fixtures.dll"
    ModuleVersion        = '9.9.9'
    CompatiblePSEditions = 'Desktop'   # a bare string, not an array: still one edition
    PowerShellVersion    = '5.1'
    FormatsToProcess     = @('Fixture.format.ps1xml', "NotThere.format.ps1xml")
    TypesToProcess       = @()
    <# A block comment with a quote ' and a brace } that must not confuse the parser. #>
    CmdletsToExport      = @(
        'Get-AiWidget', 'Remove-AiWidget'   # two on one line
        'Get-AiNotInTheAssembly'
    )
    PrivateData          = @{ PSData = @{ Tags = @('Fixture'); ReleaseNotes = 'It''s a fixture.' } }
}
