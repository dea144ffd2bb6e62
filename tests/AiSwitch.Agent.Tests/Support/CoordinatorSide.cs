using System.Collections.Concurrent;
using System.Threading.Channels;
using AiSwitch.Protocol;
using AiSwitch.Rpc;

namespace AiSwitch.Agent.Tests.Support;

/// <summary>Bounds every wait in a test: a hang fails the test with a message instead of stalling the run.</summary>
internal static class Bounded
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static Task<T> Within<T>(this Task<T> task, TimeSpan? limit = null) => task.WaitAsync(limit ?? Limit);

    public static Task Within(this Task task, TimeSpan? limit = null) => task.WaitAsync(limit ?? Limit);
}

/// <summary>What the agent sent us of one kind, in arrival order; a test awaits the next one that matches.</summary>
public sealed class Inbox<T>
{
    private readonly Channel<T> _items = Channel.CreateUnbounded<T>();
    private readonly ConcurrentQueue<T> _all = new();

    public IReadOnlyCollection<T> All => _all;

    public void Add(T item)
    {
        _all.Enqueue(item);
        _items.Writer.TryWrite(item);
    }

    /// <summary>The next item (after those already taken) that matches, waiting at most <see cref="Bounded.Limit"/>.</summary>
    public async Task<T> NextAsync(Func<T, bool>? match = null)
    {
        using var limit = new CancellationTokenSource(Bounded.Limit);
        while (true)
        {
            var item = await _items.Reader.ReadAsync(limit.Token);
            if (match is null || match(item))
            {
                return item;
            }
        }
    }
}

/// <summary>
/// The coordinator's end of a connection to a real reference agent process: the test calls the agent through
/// <see cref="Connection"/>, and this side serves what the agent calls (metrics.report, tokens.usage, coordination.*,
/// event.publish, metrics.query, tokens.summary), recording each into an <see cref="Inbox{T}"/>.
/// </summary>
public sealed class CoordinatorSide : IAsyncDisposable
{
    private int _lockIds;
    private TaskCompletionSource _locksGranted = CompletedGate();

    private CoordinatorSide(ReferenceAgentProcess agent)
    {
        Agent = agent;
        FromAgent = new WireRecorder(agent.Output);
        ToAgent = new WireRecorder(agent.Input);
        Connection = new JsonRpcConnection(FromAgent, ToAgent, new JsonRpcConnectionOptions
        {
            PeerName = "reference-agent",
            DefaultCallTimeout = CallTimeout,
        });
        Serve();
        Connection.Start();
    }

    /// <summary>Every call from the test waits at most this long; tests that prove "at once" assert far less.</summary>
    public static TimeSpan CallTimeout { get; } = TimeSpan.FromSeconds(60);

    public ReferenceAgentProcess Agent { get; }

    public JsonRpcConnection Connection { get; }

    /// <summary>The methods of the requests and notifications the agent sent (read from its stdout).</summary>
    public WireRecorder FromAgent { get; }

    /// <summary>The methods of the requests and notifications sent to the agent (written to its stdin).</summary>
    public WireRecorder ToAgent { get; }

    public Inbox<ReportMetricsParams> MetricsReports { get; } = new();

    public Inbox<ReportTokenUsageParams> TokenReports { get; } = new();

    public Inbox<HeartbeatParams> Heartbeats { get; } = new();

    public Inbox<AcquireLockParams> Locks { get; } = new();

    public Inbox<ReleaseLockParams> Unlocks { get; } = new();

    public Inbox<PublishEventParams> Events { get; } = new();

    public Inbox<QueryMetricsParams> MetricsQueries { get; } = new();

    public Inbox<TokenSummaryParams> TokenSummaries { get; } = new();

    /// <summary>Starts the reference agent with these arguments (heartbeat and metrics reports off unless given) and connects to it.</summary>
    public static CoordinatorSide Start(params string[] args)
    {
        var withDefaults = new List<string>(args);
        if (!args.Contains("--heartbeat-ms"))
        {
            withDefaults.AddRange(["--heartbeat-ms", "0"]);
        }

        if (!args.Contains("--metrics-ms"))
        {
            withDefaults.AddRange(["--metrics-ms", "0"]);
        }

        return new CoordinatorSide(ReferenceAgentProcess.Start([.. withDefaults]));
    }

    /// <summary>Starts the agent and completes the handshake.</summary>
    public static async Task<CoordinatorSide> StartInitializedAsync(params string[] args)
    {
        var side = Start(args);
        await side.InitializeAsync();
        return side;
    }

    public Task<InitializeResult> InitializeAsync(string protocolVersion = "1.0.0", List<string>? supportedVersions = null) =>
        Connection.InvokeAsync(AgentProtocol.AgentInitialize, new InitializeParams
        {
            AgentId = "agent-under-test",
            ProtocolVersion = protocolVersion,
            SupportedVersions = supportedVersions,
            SupportedFeatures = [ProtocolFeatures.EnvSwitching, ProtocolFeatures.Events],
        }).Within();

    public Task<AssignTaskResult> AssignAsync(string taskId, string prompt = "hello", Dictionary<string, object>? metadata = null, CancellationToken cancellationToken = default, double timeoutSeconds = 30) =>
        Connection.InvokeAsync(AgentProtocol.TaskAssign, new AssignTaskParams { Task = Tasks.Make(taskId, prompt, metadata, timeoutSeconds) }, cancellationToken);

    public Task<AgentTaskResult> ResultAsync(string taskId) =>
        Connection.InvokeAsync(AgentProtocol.TaskResult, new TaskResultParams { TaskId = taskId }).Within();

    /// <summary>Assigns a task and returns its result (task.assign, then task.result).</summary>
    public async Task<AgentTaskResult> RunAsync(string taskId, string prompt = "hello", Dictionary<string, object>? metadata = null)
    {
        await AssignAsync(taskId, prompt, metadata).Within();
        return await ResultAsync(taskId);
    }

    /// <summary>From now on coordination.lock is answered only once the returned source is completed: a barrier the agent's tasks wait at.</summary>
    public TaskCompletionSource HoldLocks()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _locksGranted, gate);
        return gate;
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        Agent.Dispose();
    }

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource();
        gate.SetResult();
        return gate;
    }

    private void Serve()
    {
        Connection.AddMethod(AgentProtocol.MetricsReport, (p, _) =>
        {
            MetricsReports.Add(p);
            return ValueTask.FromResult(new ReportMetricsResult { Accepted = true });
        });
        Connection.AddMethod(AgentProtocol.TokensUsage, (p, _) =>
        {
            TokenReports.Add(p);
            return ValueTask.FromResult(new ReportTokenUsageResult { Accepted = true });
        });
        Connection.AddMethod(AgentProtocol.CoordinationHeartbeat, (p, _) =>
        {
            Heartbeats.Add(p);
            return ValueTask.FromResult(new HeartbeatResult { CoordinationStatus = CoordinationStatus.Active });
        });
        Connection.AddMethod(AgentProtocol.CoordinationLock, async (p, cancellationToken) =>
        {
            Locks.Add(p);
            await Volatile.Read(ref _locksGranted).Task.WaitAsync(cancellationToken);
            var id = $"lock-{p.LockName}-{Interlocked.Increment(ref _lockIds)}";
            return new AcquireLockResult { LockId = id, ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(1) };
        });
        Connection.AddMethod(AgentProtocol.CoordinationUnlock, (p, _) =>
        {
            Unlocks.Add(p);
            return ValueTask.FromResult(new ReleaseLockResult { LockId = p.LockId });
        });
        Connection.AddMethod(AgentProtocol.EventPublish, (p, _) =>
        {
            Events.Add(p);
            return ValueTask.FromResult(new PublishEventResult { Accepted = true, Delivered = 1 });
        });
        Connection.AddMethod(AgentProtocol.MetricsQuery, (p, _) =>
        {
            MetricsQueries.Add(p);
            var stored = MetricsReports.All.Select(report => report.Metrics).ToList();
            return ValueTask.FromResult(new QueryMetricsResult { Metrics = stored, TotalCount = stored.Count });
        });
        Connection.AddMethod(AgentProtocol.TokensSummary, (p, _) =>
        {
            TokenSummaries.Add(p);
            var total = TokenReports.All.Sum(report => report.Usage.TotalTokens);
            return ValueTask.FromResult(new TokenSummaryResult { TotalUsage = new TokenUsage { TotalTokens = total } });
        });
    }
}
