using System.Reflection;
using AiSwitch.PowerShell.Tests.Contracts;

namespace AiSwitch.PowerShell.Tests.Infrastructure;

/// <summary>A cmdlet assembly read once per test run: its cmdlets, the approved verbs, and where its output types live.</summary>
internal sealed class InspectedAssembly
{
    private static readonly Lazy<InspectedAssembly> ModuleInstance = new(() =>
    {
        var inspection = Inspection.OfModule();
        var cmdlets = inspection.Load(Repository.CmdletAssemblyPath);
        var contracts = inspection.Load(Repository.ContractsAssemblyPath);
        return new InspectedAssembly(inspection, cmdlets, [cmdlets, contracts]);
    });

    private static readonly Lazy<InspectedAssembly> FixtureInstance = new(() =>
    {
        var inspection = Inspection.OfFixtures();
        var fixtures = inspection.Load(Repository.FixtureAssemblyPath);
        return new InspectedAssembly(inspection, fixtures, [fixtures]);
    });

    private InspectedAssembly(Inspection inspection, Assembly cmdletAssembly, Assembly[] typeSources)
    {
        Inspection = inspection;
        CmdletAssembly = cmdletAssembly;
        TypeSources = typeSources;
        Cmdlets = CmdletReader.Read(cmdletAssembly, typeSources);
        ByName = Cmdlets.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        ApprovedVerbs = Contracts.ApprovedVerbs.ReadFrom(inspection.Automation);
    }

    /// <summary>The built module: artifacts/module/AiSwitch/AiSwitch.PowerShell.dll, output types from AiSwitch.Contracts.</summary>
    public static InspectedAssembly Module => ModuleInstance.Value;

    /// <summary>The fixture of deliberately broken cmdlets (artifacts/fixtures/).</summary>
    public static InspectedAssembly Fixtures => FixtureInstance.Value;

    public Inspection Inspection { get; }

    public Assembly CmdletAssembly { get; }

    /// <summary>Where output types may live: for the module, the cmdlet assembly and AiSwitch.Contracts (never the private AiSwitch.Core).</summary>
    public Assembly[] TypeSources { get; }

    public IReadOnlyList<CmdletDescription> Cmdlets { get; }

    public IReadOnlyDictionary<string, CmdletDescription> ByName { get; }

    public IReadOnlySet<string> ApprovedVerbs { get; }

    /// <summary>Runs one rule over every cmdlet and returns everything it found wrong.</summary>
    public IReadOnlyList<string> Violations(Func<CmdletDescription, IEnumerable<string>> rule)
        => Cmdlets.SelectMany(rule).ToList();

    /// <summary>The names of the cmdlets a rule flags.</summary>
    public IReadOnlyList<string> Flagged(Func<CmdletDescription, IEnumerable<string>> rule)
        => Cmdlets.Where(c => rule(c).Any()).Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
}
