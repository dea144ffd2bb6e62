using AiSwitch.Core.Home;
using System.Text.Json;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Core.Environments;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Presets;
using AiSwitch.Protocol;
using AiSwitch.Core.Tests.Agents.Adapters;
using AiSwitch.Core.Tests.Support;

namespace AiSwitch.Core.Tests.Agents;

/// <summary>Switch-AiEnvironment -Agent on an agent that is live in the session (the Environments door).</summary>
public sealed class AgentEnvironmentSwitcherTests : IAsyncLifetime
{
    private const string Agent = "live-agent";
    private readonly TempHome _home = new();
    private readonly ProcessSupervisor _launcher;
    private readonly AiSession _session;
    private readonly EnvironmentOperations _operations;
    private readonly Directory _directory;

    public AgentEnvironmentSwitcherTests()
    {
        _launcher = new ProcessSupervisor(_home.Home.EnsureCreated(), "switcher-tests");
        _session = new AiSession(_home.Home, new InMemoryEnvironment([]));
        _operations = new EnvironmentOperations(_session, durable: false);
        var presets = new PresetStore(_home.Home);
        presets.Create(new NewPresetRequest { Name = "preset-a", Variables = new Dictionary<string, string> { ["MODEL_URL"] = "http://a.example" } });
        presets.Create(new NewPresetRequest { Name = "preset-b", Variables = new Dictionary<string, string> { ["MODEL_URL"] = "http://b.example" } });
        _directory = new Directory(this);
        AgentEnvironmentSwitcher.For(_session).Attach(_directory);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_directory.Live is { } live)
        {
            await live.DisposeAsync();
        }

        await _launcher.DisposeAsync();

        _session.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task ALiveJsonRpcAgentTakesTheSwitchForItsNextTaskWhileTheRunningOneKeepsTheOldEnvironment()
    {
        _operations.Switch(Agent, "preset-a");
        var agent = await new JsonRpcAgentAdapter().StartAgentAsync(LaunchFor(Agent), CancellationToken.None);
        _directory.Live = agent;
        var observer = new RecordingObserver();
        var running = agent.RunAsync(Invocation(agent, "t-running", 1500), observer, CancellationToken.None);
        await observer.WaitForEventAsync("task.started");

        var result = await _session.Environments.SwitchAsync(Agent, "preset-b");
        var next = await agent.RunAsync(Invocation(agent, "t-next", 0), NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.Equal(("preset-a", "preset-b"), (result.PreviousPreset, result.CurrentPreset));
        Assert.NotNull(result.SnapshotId);
        Assert.Equal("MODEL_URL=http://b.example", next.Text);
        Assert.Equal("MODEL_URL=http://a.example", (await running).Text);
        Assert.Equal("preset-b", agent.Launch.PresetName);
        Assert.Equal("http://b.example", _operations.LaunchVariables(Agent)["MODEL_URL"]);
    }

    [Fact]
    public async Task AFailedLiveSwitchRollsTheRecordBackAndIsEnvironmentSwitchFailed()
    {
        _operations.Switch(Agent, "preset-a", snapshot: false);
        _directory.Live = new RefusingAgent();
        var snapshotsBefore = _operations.ListSnapshots(Agent).Count;

        var error = await Assert.ThrowsAsync<AiSwitchException>(() => _session.Environments.SwitchAsync(Agent, "preset-b", snapshot: false));

        Assert.Equal(ErrorId.EnvironmentSwitchFailed, error.Id);
        Assert.Equal(-40202, error.Id.Code());
        Assert.Contains($"Agent '{Agent}' is running and did not take preset 'preset-b'", error.Message, StringComparison.Ordinal);
        Assert.Contains("rolled back", error.Message, StringComparison.Ordinal);
        Assert.Equal("http://a.example", _operations.LaunchVariables(Agent)["MODEL_URL"]);
        Assert.Equal("preset-a", _operations.Current().Single(s => s.Agent == Agent).Preset);
        Assert.Equal(snapshotsBefore, _operations.ListSnapshots(Agent).Count);
    }

    [Fact]
    public async Task AnAgentThatIsNotLiveIsSwitchedLikeAnyOtherAndItsNextLaunchHasTheNewEnvironment()
    {
        _operations.Switch(Agent, "preset-a");

        var result = await _session.Environments.SwitchAsync(Agent, "preset-b", snapshot: false);

        Assert.Null(result.SnapshotId);
        Assert.Equal("http://b.example", LaunchFor(Agent).Environment["MODEL_URL"]);
    }

    [Fact]
    public async Task TheSessionsRegistryHandsItsLiveJsonRpcAgentToTheSwitch()
    {
        var parent = new InMemoryEnvironment(new[] { "PATH", "HOME", "DOTNET_ROOT" }
            .Where(name => Environment.GetEnvironmentVariable(name) is not null)
            .Select(name => KeyValuePair.Create(name, Environment.GetEnvironmentVariable(name)!)));
        using var session = new AiSession(_home.Home, parent);
        var operations = new EnvironmentOperations(session, durable: false);
        var registry = AgentRegistry.For(session);
        var reference = TestLaunches.ReferenceAgent("registry-agent", maxConcurrency: 2);
        registry.DefinitionStore.Register(new RegisterAgentRequest
        {
            Name = reference.Name,
            Adapter = reference.Adapter,
            Command = reference.Command,
            Arguments = reference.Arguments,
            MaxConcurrency = reference.MaxConcurrency,
        });
        operations.Switch(reference.Name, "preset-a");
        await registry.StartAsync(new StartAgentRequest { Name = reference.Name, WorkingDirectory = _home.Root });
        var observer = new RecordingObserver();
        var running = registry.RunAsync(new AgentRunRequest { Agent = reference.Name, Task = Work("t-running", 1500), Observer = observer });
        await observer.WaitForEventAsync("task.started");

        var live = Assert.IsType<JsonRpcAgent>(((ILiveAgentDirectory)registry).FindLive(reference.Name));
        await session.Environments.SwitchAsync(reference.Name, "preset-b");
        Assert.Equal("preset-b", live.Launch.PresetName); // switched at once, not only before the next task
        var next = await registry.RunAsync(new AgentRunRequest { Agent = reference.Name, Task = Work("t-next", 0) });

        Assert.Equal("MODEL_URL=http://b.example", next.Text);
        Assert.Equal("MODEL_URL=http://a.example", (await running).Text);
    }

    private AgentLaunch LaunchFor(string agent) =>
        TestLaunches.Launch(TestLaunches.ReferenceAgent(agent, maxConcurrency: 2), _home.Home, _launcher,
            _operations.Current().Single(s => s.Agent == agent).Preset, _operations.LaunchVariables(agent));

    private static AgentInvocation Invocation(JsonRpcAgent agent, string id, int latencyMs) => AgentInvocation.Create(agent.Launch, Work(id, latencyMs));

    private static AgentTask Work(string id, int latencyMs) => new()
    {
        Id = id,
        Prompt = "which model url?",
        Metadata = new Dictionary<string, JsonElement>
        {
            ["echo_env"] = JsonSerializer.SerializeToElement("MODEL_URL"),
            ["latency_ms"] = JsonSerializer.SerializeToElement(latencyMs),
        },
    };

    /// <summary>The registry's side of the seam, as a test double: one live agent, launches built from the record.</summary>
    private sealed class Directory(AgentEnvironmentSwitcherTests test) : ILiveAgentDirectory
    {
        public ILongLivedAgent? Live { get; set; }

        public ILongLivedAgent? FindLive(string agentName) => agentName == Agent ? Live : null;

        public AgentLaunch LaunchFor(string agentName) => test.LaunchFor(agentName);
    }

    /// <summary>A live agent that refuses every switch, as one whose env.switch fails would.</summary>
    private sealed class RefusingAgent : ILongLivedAgent
    {
        public int? Pid => null;

        public Task<AgentExit> Exited { get; } = new TaskCompletionSource<AgentExit>().Task;

        public DateTimeOffset? LastHeartbeat => null;

        public ValueTask<AgentHealth> ProbeAsync(CancellationToken cancellationToken) => ValueTask.FromResult(AgentHealth.Healthy);

        public Task<AgentRunResult> RunAsync(AgentInvocation invocation, IAgentRunObserver observer, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task SwitchEnvironmentAsync(AgentLaunch newLaunch, CancellationToken cancellationToken) =>
            Task.FromException(new AiSwitchException(ErrorId.EnvironmentSwitchFailed, "The agent refused the preset.", Agent));

        public Task StopAsync(TimeSpan timeout, CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
