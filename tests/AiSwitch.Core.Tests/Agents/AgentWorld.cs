using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Core.Environments;
using AiSwitch.Core.Home;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Presets;
using AiSwitch.Core.Tests.Support;

namespace AiSwitch.Core.Tests.Agents;

/// <summary>
/// A temp home, a parent environment held in memory (so the test process's own variables never matter), the fake
/// adapters, and sessions with registries over them. Disposing it ends every session, killing their agents.
/// </summary>
internal sealed class AgentWorld : IAsyncDisposable
{
    private readonly TempHome _temp = new();
    private readonly List<AiSession> _sessions = [];

    public AgentWorld()
    {
        Parent = new InMemoryEnvironment(new Dictionary<string, string>
        {
            ["PATH"] = AgentTestSupport.ParentPath,
            ["HOME"] = "/home/tester",
            ["LANG"] = "C.UTF-8",
            ["LC_ALL"] = "C.UTF-8",
            ["OPENAI_API_KEY"] = "parent-secret",
            ["UNRELATED"] = "parent-only",
        });
    }

    public AiHome Home => _temp.Home;

    public string Root => _temp.Root;

    public InMemoryEnvironment Parent { get; }

    public FakeTaskAdapter TaskAdapter { get; } = new();

    public FakeLongLivedAdapter LongLivedAdapter { get; } = new();

    public string Scripts => Path.Combine(Root, "scripts");

    public AgentRegistryOptions Options(TimeSpan? backoff = null, TimeSpan? health = null) => new()
    {
        Adapters = new AdapterCatalog(TaskAdapter, LongLivedAdapter),
        RestartBackoff = backoff ?? TimeSpan.FromMilliseconds(20),
        HealthInterval = health ?? TimeSpan.FromSeconds(30),
    };

    public AiSession NewSession()
    {
        var session = new AiSession(Home, Parent);
        _sessions.Add(session);
        return session;
    }

    /// <summary>A registry in a new session (registered as the session's service, so disposing the session stops it).</summary>
    public AgentRegistry NewRegistry(AgentRegistryOptions? options = null)
    {
        var session = NewSession();
        var registry = new AgentRegistry(session, options ?? Options());
        return session.GetService(_ => registry);
    }

    public void Preset(string name, params (string Key, string Value)[] variables)
        => new PresetStore(Home).Create(new NewPresetRequest { Name = name, Variables = variables.ToDictionary(v => v.Key, v => v.Value) });

    public void WriteAgentsYaml(string yaml)
    {
        Directory.CreateDirectory(Home.ConfigDir);
        File.WriteAllText(Path.Combine(Home.ConfigDir, AgentDefinitionStore.FileName), yaml);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var session in _sessions)
        {
            session.Dispose();
        }

        _temp.Dispose();
        return ValueTask.CompletedTask;
    }
}
