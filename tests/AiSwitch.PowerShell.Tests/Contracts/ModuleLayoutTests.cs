using AiSwitch.PowerShell.Tests.Infrastructure;
using Xunit;

namespace AiSwitch.PowerShell.Tests.Contracts;

public sealed class ModuleLayoutTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("aiswitch-layout-").FullName;

    [Fact]
    public void BuiltModuleHasTheLayout()
    {
        var problems = ModuleLayout.Problems(Repository.ModuleDir).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void CoreDoesNotReferencePowerShell()
    {
        var core = InspectedAssembly.Module.Inspection.Load(Repository.CoreAssemblyPath);
        Assert.False(ModuleLayout.References(core, "System.Management.Automation"), "AiSwitch.Core references System.Management.Automation.");
        Assert.True(ModuleLayout.References(InspectedAssembly.Module.CmdletAssembly, "AiSwitch.Core"));
    }

    [Fact]
    public void TheTypesUsersSeeDependOnNothingButTheFramework()
    {
        var framework = Directory.EnumerateFiles(Repository.RuntimeDir, "*.dll").Select(Path.GetFileNameWithoutExtension).OfType<string>()
            .Append("netstandard").Append("mscorlib").ToHashSet(StringComparer.OrdinalIgnoreCase);
        var contracts = InspectedAssembly.Module.TypeSources.Single(a => a.GetName().Name == "AiSwitch.Contracts");

        Assert.Empty(ModuleLayout.ThirdPartyReferences(contracts, framework));
        Assert.Equal(["AiSwitch.Core"], ModuleLayout.ThirdPartyReferences(InspectedAssembly.Module.CmdletAssembly, framework));
    }

    [Fact]
    public void ReferenceCheckSeesPowerShell()
        => Assert.True(ModuleLayout.References(InspectedAssembly.Fixtures.CmdletAssembly, "System.Management.Automation"));

    [Fact]
    public void PublicTypesLoadBeforeTheDependenciesAreHookedUp()
    {
        var problems = ImportRules.ExportedTypesLoadBeforeOnImport(InspectedAssembly.Module.CmdletAssembly, DependencyNames()).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void PublicTypeImplementingACoreInterfaceIsReported()
    {
        var problems = ImportRules.ExportedTypesLoadBeforeOnImport(InspectedAssembly.Fixtures.CmdletAssembly, DependencyNames()).ToList();
        Assert.Contains(problems, p => p.StartsWith("AiSwitch.PowerShell.Tests.Fixtures.LeakySink needs AiSwitch.Core to load (interface AiSwitch.Core.Hosting.IOperationSink)", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("HoldsCoreInAField") || p.Contains("Fixtures.Widget ") || p.Contains("Fixtures.Gadget "));
    }

    [Fact]
    public void WrongLayoutIsReported()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "dependencies"));
        File.WriteAllText(Path.Combine(_folder, "YamlDotNet.dll"), string.Empty);
        File.WriteAllText(Path.Combine(_folder, "dependencies", "AiSwitch.Core.dll"), string.Empty);
        File.WriteAllText(Path.Combine(_folder, "dependencies", "System.Management.Automation.dll"), string.Empty);
        var problems = ModuleLayout.Problems(_folder).ToList();
        Assert.Equal(8, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("YamlDotNet.dll is in the module's root folder", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("AiSwitch.PowerShell.dll is missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("AiSwitch.Contracts.dll is missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("YamlDotNet.dll is missing from", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Serilog.Sinks.File.dll is missing from", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ships PowerShell's own assembly"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static HashSet<string> DependencyNames()
        => Directory.EnumerateFiles(Repository.DependenciesDir, "*.dll").Select(Path.GetFileNameWithoutExtension).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
}
