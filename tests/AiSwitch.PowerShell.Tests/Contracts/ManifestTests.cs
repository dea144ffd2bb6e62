using System.Reflection;
using System.Xml.Linq;
using AiSwitch.PowerShell.Tests.Infrastructure;
using Xunit;

namespace AiSwitch.PowerShell.Tests.Contracts;

/// <summary>The built module's manifest (artifacts/module/AiSwitch/AiSwitch.psd1) against the cmdlets and files really there.</summary>
public sealed class ManifestTests
{
    private static readonly Lazy<IReadOnlyDictionary<string, object?>> Manifest
        = new(() => DataFile.Read(Repository.ModuleManifestPath));

    [Fact]
    public void CmdletsToExportEqualsTheCmdletsFound()
    {
        var problems = ManifestRules.ExportsEqualCmdlets(Manifest.Value, InspectedAssembly.Module.Cmdlets.Select(c => c.Name)).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void TargetsPowerShell74OnCore() => Assert.Empty(ManifestRules.TargetsPowerShell74Core(Manifest.Value));

    [Fact]
    public void NamedFilesAreInTheModuleFolder() => Assert.Empty(ManifestRules.NamedFilesExist(Manifest.Value, Repository.ModuleDir));

    [Fact]
    public void VersionIsTheOneVersionSource()
    {
        var props = XDocument.Load(Path.Combine(Repository.Root, "Directory.Build.props"));
        var prefix = props.Descendants("VersionPrefix").Single().Value.Trim();
        var assemblyVersion = AssemblyName.GetAssemblyName(Repository.CmdletAssemblyPath).Version!;
        Assert.Empty(ManifestRules.VersionMatches(Manifest.Value, assemblyVersion, prefix));
    }

    [Fact]
    public void RootManifestIsTheOneCopiedIntoTheModule()
        => Assert.Equal(File.ReadAllText(Path.Combine(Repository.Root, "AiSwitch.psd1")), File.ReadAllText(Repository.ModuleManifestPath));
}

/// <summary>Proves each manifest rule can fail, on a manifest that breaks them all (Fixtures/ModuleFiles/Fixture.psd1).</summary>
public sealed class ManifestRulesTests
{
    private static readonly IReadOnlyDictionary<string, object?> Broken
        = DataFile.Read(Path.Combine(Repository.FixtureFilesDir, "Fixture.psd1"));

    [Fact]
    public void ExportMismatchesAreReportedBothWays()
    {
        var problems = ManifestRules.ExportsEqualCmdlets(Broken, ["Get-AiWidget", "Remove-AiWidget", "Set-AiWidget"]).ToList();
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("lists 'Get-AiNotInTheAssembly', but the cmdlet assembly has no such cmdlet"));
        Assert.Contains(problems, p => p.Contains("has 'Set-AiWidget', but CmdletsToExport does not list it"));
        Assert.Empty(ManifestRules.ExportsEqualCmdlets(Broken, ["Get-AiWidget", "Remove-AiWidget", "Get-AiNotInTheAssembly"]));
    }

    [Fact]
    public void WrongEditionAndVersionAreReported()
    {
        var problems = ManifestRules.TargetsPowerShell74Core(Broken).ToList();
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("@('Desktop')"));
        Assert.Contains(problems, p => p.Contains("'5.1'"));
    }

    [Fact]
    public void MissingFilesAreReported()
    {
        var problems = ManifestRules.NamedFilesExist(Broken, Repository.FixtureFilesDir).ToList();
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("'NotThere.format.ps1xml'"));
        Assert.Contains(problems, p => p.StartsWith("TypesToProcess is empty", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("RootModule 'AiSwitch.PowerShell.Tests.Fixtures.dll'"));
    }

    [Fact]
    public void VersionMismatchesAreReported()
    {
        Assert.Contains("The cmdlet assembly's version is 0.1.0.0", Assert.Single(ManifestRules.VersionMatches(Broken, new Version(0, 1, 0, 0), "9.9.9")));
        Assert.Contains("ModuleVersion is '9.9.9'", Assert.Single(ManifestRules.VersionMatches(Broken, new Version(0, 1, 0, 0), "0.1.0")));
        Assert.Equal(2, ManifestRules.VersionMatches(Broken, new Version(9, 9, 9, 0), "0.1.0").Count());
        Assert.Empty(ManifestRules.VersionMatches(Broken, new Version(9, 9, 9, 0), "9.9.9"));
    }
}
