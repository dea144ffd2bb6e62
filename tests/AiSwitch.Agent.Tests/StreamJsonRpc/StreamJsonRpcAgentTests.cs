using System.Collections.Concurrent;
using System.Text.Json;
using AiSwitch.Agent.Tests.Support;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Core.Home;
using AiSwitch.Protocol;

namespace AiSwitch.Agent.Tests.StreamJsonRpc;

/// <summary>
/// tests/AiSwitch.StreamJsonRpcAgent, an agent written on StreamJsonRpc alone (docs/agents/streamjsonrpc.md), under
/// AiSwitch's own coordinator side (the jsonrpc adapter): the whole protocol, as a .NET developer's agent meets it.
/// </summary>
public sealed class StreamJsonRpcAgentTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "aiswitch-sjr-tests", Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<string> _events = new();
    private AiHome _home = null!;
    private ProcessSupervisor _launcher = null!;

    public Task InitializeAsync()
    {
        _home = new AiHome(_root).EnsureCreated();
        _launcher = new ProcessSupervisor(_home, "sjr-tests");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _launcher.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Initialize_assign_result_events_env_switch_cancel_heartbeat_and_shutdown_all_work()
    {
        await using var agent = await new JsonRpcAgentAdapter().StartAgentAsync(Launch("first", "m1"), CancellationToken.None).Within();
        agent.EventPublished += e => _events.Enqueue($"{e.EventType}:{TaskIdOf(e)}");
        var initialized = agent.LastHeartbeat;

        // initialize (and the env.switch the coordinator sends a preset'd agent right after it)
        Assert.Equal("1.0.0", agent.ProtocolVersion);
        Assert.Equal("streamjsonrpc-echo 1.0", agent.AgentInfo);
        Assert.Contains(ProtocolFeatures.EnvSwitching, agent.Features);

        // task.assign, answered when the task has finished, then task.result; events by task
        var first = await agent.RunAsync(AgentInvocation.Create(agent.Launch, Work("t-1", "hello")), NullAgentRunObserver.Instance, CancellationToken.None).Within();
        Assert.True(first.Success, first.Error);
        Assert.Equal("hello (preset first, MODEL=m1)", first.Text);
        Assert.Equal(("hello".Length, first.Text.Length), ((int)first.InputTokens, (int)first.OutputTokens));
        await Until(() => _events.Contains("task.completed:t-1"));
        Assert.Equal(["task.started:t-1", "task.completed:t-1"], _events.Where(e => e.EndsWith(":t-1", StringComparison.Ordinal)));

        // env.switch reaches the next task
        await agent.SwitchEnvironmentAsync(Launch("second", "m2"), CancellationToken.None).Within();
        var second = await agent.RunAsync(AgentInvocation.Create(agent.Launch, Work("t-2", "again")), NullAgentRunObserver.Instance, CancellationToken.None).Within();
        Assert.Equal("again (preset second, MODEL=m2)", second.Text);

        // cancel: $/cancelRequest and task.cancel end the agent's handler, and the connection goes on serving
        using (var cancel = new CancellationTokenSource())
        {
            var hung = agent.RunAsync(AgentInvocation.Create(agent.Launch, Work("t-hung", "wait", hang: true)), NullAgentRunObserver.Instance, cancel.Token);
            await Until(() => _events.Contains("task.started:t-hung"));
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hung.Within());
        }

        await Until(() => _events.Contains("task.cancelled:t-hung"));
        var after = await agent.RunAsync(AgentInvocation.Create(agent.Launch, Work("t-3", "still here")), NullAgentRunObserver.Instance, CancellationToken.None).Within();
        Assert.Equal("still here (preset second, MODEL=m2)", after.Text);

        // coordination.heartbeat, sent by position (InvokeAsync(method, obj) is params:[obj]), is taken
        await Until(() => agent.LastHeartbeat > initialized);

        // agent.shutdown: the agent answers and exits by itself
        Assert.True((await agent.ProbeAsync(CancellationToken.None)).IsHealthy);
        await agent.StopAsync(TimeSpan.FromSeconds(20), CancellationToken.None).Within();
        var exit = await agent.Exited.Within();
        Assert.Equal(0, exit.ExitCode);
    }

    /// <summary>The built sample agent, beside this project's output (its ProjectReference builds it).</summary>
    internal static string AgentDll { get; } = Locate();

    private static string Locate()
    {
        // tests/AiSwitch.Agent.Tests/bin/<Configuration>/net10.0/ → tests/AiSwitch.StreamJsonRpcAgent/bin/<Configuration>/net10.0/
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(here);
        var configuration = Path.GetFileName(Path.GetDirectoryName(here)!);
        var tests = Path.GetFullPath(Path.Combine(here, "..", "..", "..", ".."));
        var path = Path.Combine(tests, "AiSwitch.StreamJsonRpcAgent", "bin", configuration, framework, "AiSwitch.StreamJsonRpcAgent.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"The StreamJsonRpc sample agent was not built at '{path}'. Build tests/AiSwitch.Agent.Tests, which builds it.", path);
    }

    private AgentLaunch Launch(string preset, string model)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["MODEL"] = model, ["HEARTBEAT_MS"] = "50" };
        foreach (var name in new[] { "PATH", "HOME", "DOTNET_ROOT", "TMPDIR" })
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                environment[name] = value;
            }
        }

        return new AgentLaunch
        {
            Agent = new AgentDefinition { Name = "sjr", Adapter = AdapterNames.JsonRpc, Command = "dotnet", Arguments = [AgentDll], MaxConcurrency = 2 },
            Environment = environment,
            WorkingDirectory = _root,
            PresetName = preset,
            Home = _home,
            Supervisor = _launcher,
        };
    }

    private static AgentTask Work(string id, string prompt, bool hang = false) => new()
    {
        Id = id,
        Prompt = prompt,
        Metadata = hang ? new Dictionary<string, JsonElement> { ["hang"] = JsonSerializer.SerializeToElement(true) } : [],
    };

    private static string? TaskIdOf(PublishEventParams e) =>
        e.Data.ValueKind == JsonValueKind.Object && e.Data.TryGetProperty("task_id", out var id) ? id.GetString() : null;

    /// <summary>Waits for something the agent does on its own (an event, a heartbeat); fails the test past the bound.</summary>
    private static async Task Until(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Bounded.Limit);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
