namespace AiSwitch.PowerShell.Tests.Runspace;

/// <summary>
/// The imported module as the engine holds it: where its assemblies were loaded, and the help Get-Help finds for
/// every exported cmdlet.
/// </summary>
[Collection(RunspaceCollection.Name)]
public sealed class ModuleInRunspaceTests : IDisposable
{
    private readonly HostedShell _shell = new();

    [Fact]
    public void CoreYamlDotNetAndSerilogLoadOnlyInThePrivateContextAndTheFrameworkOnlyInTheDefaultOne()
    {
        // Core loads on first use, not at import: run a cmdlet that reads YAML first, then one the coordinator log records.
        _shell.Run("New-AiPreset -Name p1 -Variable @{ A = '1' } | Out-Null; Get-AiPreset p1 | Out-Null; Use-AiPreset p1 | Out-Null").Ok();

        var contexts = _shell.Run("""
            foreach ($name in 'AiSwitch.Core', 'YamlDotNet', 'Serilog', 'Serilog.Sinks.File', 'Serilog.Formatting.Compact', 'AiSwitch.Contracts', 'AiSwitch.PowerShell', 'System.Text.Json') {
                $holders = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object { $_.Assemblies.GetName().Name -contains $name }
                "$name=" + ((@($holders).Name | Sort-Object) -join ',')
            }
            """).Ok().Strings();

        Assert.Equal(
            ["AiSwitch.Core=AiSwitch.Dependencies", "YamlDotNet=AiSwitch.Dependencies", "Serilog=AiSwitch.Dependencies",
             "Serilog.Sinks.File=AiSwitch.Dependencies", "Serilog.Formatting.Compact=AiSwitch.Dependencies", "AiSwitch.Contracts=Default", "AiSwitch.PowerShell=Default", "System.Text.Json=Default"],
            contexts);

        // Serilog works from the private context: the switch is in the home's coordinator log.
        var logged = _shell.Run("Get-Content (Join-Path $env:AISWITCH_HOME logs/coordinator.jsonl) | ForEach-Object { ($_ | ConvertFrom-Json).event }").Ok().Strings();
        Assert.Contains("env.switch", logged);
    }

    [Fact]
    public void EveryExportedCmdletHasHelpWithASynopsisADescriptionAndAnExample()
    {
        var problems = _shell.Run("""
            foreach ($name in (Get-Module AiSwitch).ExportedCmdlets.Keys | Sort-Object) {
                $help = Get-Help -Name $name -Full
                # Without a help file, Get-Help makes the synopsis from the syntax: "Get-AiPreset [[-Name] <string[]>] ...".
                if (-not $help.Synopsis -or $help.Synopsis.StartsWith("$name ")) { "${name}: no synopsis ('$($help.Synopsis)')" }
                if (-not ($help.description | Out-String).Trim()) { "${name}: no description" }
                $examples = @($help.examples.example)
                if ($examples.Count -eq 0) { "${name}: no example" }
                foreach ($example in $examples) { if (-not "$($example.code)".Trim()) { "${name}: $($example.title.Trim('- ')) has no code" } }
                if ((Get-Help -Name $name -Examples | Out-String -Width 80) -notmatch 'Example 1') { "${name}: Get-Help -Examples shows no example" }
            }
            """).Ok().Strings();

        Assert.Equal([], problems);
        // The loop above saw every cmdlet the manifest lists, not an empty list.
        var exported = _shell.Run("(Get-Module AiSwitch).ExportedCmdlets.Keys | Sort-Object").Ok().Strings();
        var listed = _shell.Run("(Import-PowerShellDataFile -LiteralPath $args[0]).CmdletsToExport | Sort-Object", Infrastructure.Repository.ModuleManifestPath).Ok().Strings();
        Assert.NotEmpty(listed);
        Assert.Equal(listed, exported);
    }

    public void Dispose() => _shell.Dispose();
}
