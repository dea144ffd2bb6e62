using System.Reflection;
using System.Text.Json;
using AiSwitch.Agent;

namespace AiSwitch.Agent.Tests;

/// <summary>
/// AiSwitch.Agent is the SDK agent authors reference: its whole dependency closure, as NuGet restored it
/// (src/AiSwitch.Agent/obj/project.assets.json), and the assemblies it was compiled against hold AiSwitch.Contracts
/// and nothing of the engine's (YamlDotNet, the Anthropic and OpenAI SDKs, AiSwitch.Core).
/// </summary>
public sealed class DependencyClosureTests
{
    private static readonly string[] EngineOnly = ["YamlDotNet", "Anthropic", "OpenAI", "AiSwitch.Core"];

    [Fact]
    public void TheAgentSdkRestoresContractsAndNothingElse()
    {
        var closure = RestoredClosure("src/AiSwitch.Agent");

        Assert.Equal([("AiSwitch.Contracts", "project")], closure);
    }

    [Fact]
    public void TheClosureReaderSeesAPackageWhereThereIsOne()
    {
        var core = RestoredClosure("src/AiSwitch.Core");

        Assert.Contains(("YamlDotNet", "package"), core);
        Assert.Contains(("Anthropic", "package"), core);
        Assert.Contains(("OpenAI", "package"), core);
        Assert.Contains(("AiSwitch.Contracts", "project"), core);
    }

    [Fact]
    public void TheAgentSdkAndContractsAreCompiledAgainstNoEngineAssembly()
    {
        var agent = typeof(AgentBase).Assembly;
        var contracts = typeof(TaskResult).Assembly;

        Assert.Contains("AiSwitch.Contracts", References(agent));
        Assert.Equal([], References(agent).Intersect(EngineOnly));
        Assert.Equal([], References(contracts).Intersect(EngineOnly));
    }

    private static IEnumerable<string> References(Assembly assembly) => assembly.GetReferencedAssemblies().Select(r => r.Name!);

    /// <summary>Every library (package or project) in a project's restored closure, with its type, sorted by name.</summary>
    private static List<(string Name, string Type)> RestoredClosure(string project)
    {
        var assets = Path.Combine(RepositoryRoot, project, "obj", "project.assets.json");
        Assert.True(File.Exists(assets), $"{assets} is missing: restore the solution first (dotnet restore).");
        using var document = JsonDocument.Parse(File.ReadAllText(assets));
        return document.RootElement.GetProperty("libraries").EnumerateObject()
            .Select(library => (Name: library.Name.Split('/')[0], Type: library.Value.GetProperty("type").GetString()!))
            .OrderBy(library => library.Name, StringComparer.Ordinal)
            .ToList();
    }

    private static string RepositoryRoot => typeof(DependencyClosureTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;
}
