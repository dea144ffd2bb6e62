using AiSwitch.Core.Agents;
using AiSwitch.Core.Environments;
using AiSwitch.Core.Home;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Presets;
using AiSwitch.Protocol;
using AiSwitch.MockProvider;

namespace AiSwitch.E2E.Tests;

/// <summary>
/// A session with its own temp AISWITCH home, the agent registry, an in-process mock provider, and presets that point
/// every vendor's variables at one mock prefix each. The parent environment holds PATH, HOME and
/// <see cref="ParentSecret"/> in OPENAI_API_KEY, which must never reach an agent.
/// </summary>
internal sealed class AdapterHarness : IAsyncDisposable
{
    public const string ParentSecret = "parent-secret";

    private AdapterHarness(MockProviderServer mock, string root)
    {
        Mock = mock;
        Root = root;
        Home = new AiHome(Path.Combine(root, "aiswitch")).EnsureCreated();
        WorkingDirectory = Directory.CreateDirectory(Path.Combine(root, "work")).FullName;
        var userHome = Directory.CreateDirectory(Path.Combine(root, "user")).FullName;
        Session = new AiSession(Home, new InMemoryEnvironment(new Dictionary<string, string>
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
            ["HOME"] = userHome,
            ["TMPDIR"] = Directory.CreateDirectory(Path.Combine(root, "tmp")).FullName,
            ["OPENAI_API_KEY"] = ParentSecret,
        }));
        Registry = AgentRegistry.For(Session);
    }

    public MockProviderServer Mock { get; }

    public string Root { get; }

    public AiHome Home { get; }

    public string WorkingDirectory { get; }

    public AiSession Session { get; }

    public AgentRegistry Registry { get; }

    public static async Task<AdapterHarness> StartAsync() =>
        new(await MockProviderServer.StartAsync(), Directory.CreateTempSubdirectory("aiswitch-adapters-e2e-").FullName);

    /// <summary>A preset key for a vendor; its last 4 characters (<paramref name="suffix"/>) show in the mock's redacted headers.</summary>
    public static string Key(string vendor, string suffix) => $"sk-{vendor}-e2e-key-{suffix}";

    /// <summary>A preset pointing Anthropic, OpenAI and Gemini variables at the mock's <paramref name="prefix"/>, keys ending in <paramref name="keySuffix"/>.</summary>
    public void AddPreset(string name, string prefix, string keySuffix) => new PresetStore(Home).Create(new NewPresetRequest
    {
        Name = name,
        Variables = new Dictionary<string, string>
        {
            ["ANTHROPIC_BASE_URL"] = Mock.UrlFor(prefix),
            ["ANTHROPIC_API_KEY"] = Key("ant", keySuffix),
            ["OPENAI_BASE_URL"] = Mock.UrlFor(prefix) + "/v1",
            ["OPENAI_API_KEY"] = Key("oai", keySuffix),
            ["GOOGLE_GEMINI_BASE_URL"] = Mock.UrlFor(prefix),
            ["GEMINI_API_KEY"] = Key("gem", keySuffix),
        },
    });

    /// <summary>Registers <paramref name="name"/> on <paramref name="adapter"/>, running the npm-installed CLI <paramref name="bin"/>.</summary>
    public void AddAgent(string name, string adapter, string bin, string preset, string? model = null, int maxConcurrency = 1) =>
        AddAgentCommand(name, adapter, AgentCli.Bin(bin), preset, model, maxConcurrency);

    public void AddAgentCommand(string name, string adapter, string command, string preset, string? model = null, int maxConcurrency = 1) =>
        Registry.Register(new RegisterAgentRequest
        {
            Name = name,
            Adapter = adapter,
            Command = command,
            Preset = preset,
            Model = model,
            MaxConcurrency = maxConcurrency,
            WorkingDirectory = WorkingDirectory,
            Force = true,
        });

    public Task<AgentRunResult> RunAsync(string agent, string prompt, IAgentRunObserver? observer = null, CancellationToken cancellationToken = default) =>
        Registry.RunAsync(new AgentRunRequest
        {
            Agent = agent,
            Task = new AgentTask { Id = Guid.NewGuid().ToString("n"), Prompt = prompt, Timeout = AgentCli.Timeout.TotalSeconds },
            Observer = observer ?? NullAgentRunObserver.Instance,
        }, cancellationToken);

    /// <summary>Switch-AiEnvironment -Agent <paramref name="agent"/> -Preset <paramref name="preset"/>.</summary>
    public SwitchResult SwitchAgent(string agent, string preset) => new EnvironmentOperations(Session).Switch(agent, preset);

    public async ValueTask DisposeAsync()
    {
        await Registry.DisposeAsync();
        Session.Dispose();
        await Mock.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A CLI may leave a read-only or busy file behind; the OS cleans temp folders.
        }
    }
}

/// <summary>Remembers the pid of the task's process and signals when it started.</summary>
internal sealed class PidObserver : IAgentRunObserver
{
    public TaskCompletionSource<int> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void OnStarted(int? pid)
    {
        if (pid is { } started)
        {
            Started.TrySetResult(started);
        }
    }

    public void OnFirstToken()
    {
    }

    public void OnText(string delta)
    {
    }

    public void OnEvent(string kind)
    {
    }
}
