using System.Collections.Concurrent;
using System.Text;
using AiSwitch.Core.Agents;

namespace AiSwitch.Core.Tests.Agents;

/// <summary>
/// A per-task adapter that runs its agent's command once per task through the supervisor and returns what it
/// printed. It keeps every invocation, so tests can look at the environment the registry built.
/// </summary>
internal sealed class FakeTaskAdapter : IAgentAdapter
{
    public const string AdapterName = "fake-task";

    public string Name => AdapterName;

    public IReadOnlyDictionary<string, string> QuietSettings { get; } = new Dictionary<string, string> { ["FAKE_QUIET"] = "1" };

    public bool IsLongLived => false;

    public string? DefaultCommand => "env";

    public ConcurrentQueue<AgentInvocation> Invocations { get; } = new();

    public async Task<AgentRunResult> RunAsync(AgentInvocation invocation, IAgentRunObserver observer, CancellationToken cancellationToken)
    {
        Invocations.Enqueue(invocation);
        await using var process = invocation.Supervisor.Start(new ProcessLaunchRequest
        {
            AgentName = invocation.Agent.Name,
            Adapter = Name,
            FileName = invocation.Agent.Command ?? DefaultCommand!,
            Arguments = invocation.Agent.Arguments,
            Environment = invocation.Environment,
            WorkingDirectory = invocation.WorkingDirectory,
        });
        observer.OnStarted(process.Pid);
        using var kill = cancellationToken.Register(process.KillTree);
        // Its first output is its first token, as a streaming adapter has it.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var reader = new StreamReader(process.Stdout, Encoding.UTF8);
        var first = new char[1];
        var read = await reader.ReadAsync(first, CancellationToken.None);
        TimeSpan? firstToken = read > 0 ? clock.Elapsed : null;
        var text = (read > 0 ? first[0].ToString() : string.Empty) + await reader.ReadToEndAsync(CancellationToken.None);
        var code = await process.Exited;
        cancellationToken.ThrowIfCancellationRequested();
        return new AgentRunResult { Text = text, Success = code == 0, ExitCode = code, Pid = process.Pid, TimeToFirstToken = firstToken };
    }

    public ValueTask<AgentReadiness> CheckAsync(AgentDefinition agent, CancellationToken cancellationToken)
    {
        try
        {
            var path = AgentCommands.Resolve(agent.Name, Name, agent.Command ?? DefaultCommand!, Environment.GetEnvironmentVariable("PATH"), "install the fake agent");
            return ValueTask.FromResult(AgentReadiness.Ready(path));
        }
        catch (AiSwitchException ex)
        {
            return ValueTask.FromResult(AgentReadiness.NotReady(ex));
        }
    }
}

/// <summary>
/// A long-lived adapter over a line protocol: the agent's command reads a prompt line on stdin and answers one line.
/// Its process can be killed from outside to test restarts.
/// </summary>
internal sealed class FakeLongLivedAdapter : ILongLivedAgentAdapter
{
    public const string AdapterName = "fake-daemon";

    public string Name => AdapterName;

    public IReadOnlyDictionary<string, string> QuietSettings { get; } = new Dictionary<string, string>();

    public bool IsLongLived => true;

    public string? DefaultCommand => null;

    public ConcurrentQueue<FakeLiveAgent> Started { get; } = new();

    public Task<AgentRunResult> RunAsync(AgentInvocation invocation, IAgentRunObserver observer, CancellationToken cancellationToken)
        => throw new NotSupportedException("The registry runs tasks on the live agent.");

    public ValueTask<AgentReadiness> CheckAsync(AgentDefinition agent, CancellationToken cancellationToken)
        => ValueTask.FromResult(AgentReadiness.Ready(agent.Command));

    public async Task<ILongLivedAgent> StartAsync(AgentLaunch launch, CancellationToken cancellationToken)
    {
        var process = launch.Supervisor.Start(new ProcessLaunchRequest
        {
            AgentName = launch.Agent.Name,
            Adapter = Name,
            FileName = launch.Agent.Command!,
            Arguments = launch.Agent.Arguments,
            Environment = launch.Environment,
            WorkingDirectory = launch.WorkingDirectory,
            RedirectStdin = true,
        });
        var live = new FakeLiveAgent(process, launch);
        await live.WaitReadyAsync(cancellationToken);
        Started.Enqueue(live);
        return live;
    }
}

internal sealed class FakeLiveAgent : ILongLivedAgent
{
    private readonly AgentProcess _process;
    private readonly StreamReader _reader;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private volatile bool _stopRequested;

    public FakeLiveAgent(AgentProcess process, AgentLaunch launch)
    {
        _process = process;
        Launch = launch;
        _reader = new StreamReader(process.Stdout, Encoding.UTF8);
        Exited = process.Exited.ContinueWith(t => new AgentExit
        {
            ExitCode = t.Result,
            Reason = _process.RecentStderr.Length > 0 ? _process.RecentStderr : "the process ended",
            Requested = _stopRequested,
        }, TaskScheduler.Default);
    }

    public AgentLaunch Launch { get; private set; }

    public AgentHealth Health { get; set; } = AgentHealth.Healthy;

    public int? Pid => _process.Pid;

    public Task<AgentExit> Exited { get; }

    public DateTimeOffset? LastHeartbeat { get; private set; }

    public async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var line = await _reader.ReadLineAsync(cancellationToken);
        if (line != "ready")
        {
            throw new AiSwitchException(ErrorId.AgentInitializationFailed, $"Agent '{Launch.Agent.Name}' printed '{line}' instead of 'ready'.");
        }

        LastHeartbeat = DateTimeOffset.UtcNow;
    }

    public ValueTask<AgentHealth> ProbeAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Health);

    /// <summary>Runs after a task has started and before its answer (to report progress, or hold the task).</summary>
    public Func<IAgentRunObserver, Task>? WhileRunning { get; set; }

    public async Task<AgentRunResult> RunAsync(AgentInvocation invocation, IAgentRunObserver observer, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            observer.OnStarted(Pid);
            if (WhileRunning is { } running)
            {
                await running(observer);
            }

            await _process.Stdin.WriteAsync(Encoding.UTF8.GetBytes(invocation.Task.Prompt + "\n"), cancellationToken);
            await _process.Stdin.FlushAsync(cancellationToken);
            var answer = await _reader.ReadLineAsync(cancellationToken);
            return new AgentRunResult { Text = answer ?? string.Empty, Success = answer is not null, Pid = Pid };
        }
        finally
        {
            _turn.Release();
        }
    }

    public Task SwitchEnvironmentAsync(AgentLaunch newLaunch, CancellationToken cancellationToken)
    {
        Launch = newLaunch;
        return Task.CompletedTask;
    }

    public async Task StopAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _stopRequested = true;
        await _process.KillTreeAsync(timeout, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _stopRequested = true;
        await _process.DisposeAsync();
    }
}
