using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AiSwitch.Protocol;
using AiSwitch.Rpc;

namespace AiSwitch.Agent;

/// <summary>
/// One agent's side of one connection: the handlers of every agent-served method, the background heartbeat and metrics
/// reports, and the way out (agent.shutdown or the end of stdin). The handlers live in the partial files beside this one.
/// </summary>
internal sealed partial class AgentRuntime : IAsyncDisposable
{
    /// <summary>After answering agent.shutdown, how long to wait for the coordinator to close the pipe before leaving anyway.</summary>
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(2);

    private static readonly ProtocolVersion[] SupportedVersions = [ProtocolVersion.Current];

    private readonly AgentBase _agent;
    private readonly AgentHostOptions _options;
    private readonly TimeProvider _clock;
    private readonly JsonRpcConnection _connection;
    private readonly AgentEnvironment _environment;
    private readonly TaskRegistry _tasks = new();
    private readonly EventSubscriptions _subscriptions = new();
    private readonly ProcessSampler _sampler = new();
    private readonly Coordinator _coordinator;
    private readonly TaskCompletionSource _shutdownAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _lifetime = new();
    private string _agentId;
    private int _initialized;
    private int _stopping;
    private long _finishedTasks;
    private long _failedTasks;
    private long _totalExecutionMs;
    private long _lastHeartbeatTicks;
    private Task _reporting = Task.CompletedTask;
    private Task _sendingEvents = Task.CompletedTask;

    public AgentRuntime(AgentBase agent, Stream input, Stream output, AgentHostOptions options, TimeProvider clock)
    {
        _agent = agent;
        _options = options;
        _clock = clock;
        _agentId = options.AgentId;
        _lastHeartbeatTicks = clock.GetUtcNow().UtcTicks;
        _environment = new AgentEnvironment(options.InitialEnvironment, clock);
        _connection = new JsonRpcConnection(input, output, new JsonRpcConnectionOptions { PeerName = "coordinator", Log = Log });
        _coordinator = new Coordinator(_connection, _subscriptions, () => _agentId, clock, options.CoordinatorCallTimeout, Log);
        RegisterLifecycle();
        RegisterTasks();
        RegisterEnvironment();
        RegisterEvents();
    }

    private bool IsStopping => Volatile.Read(ref _stopping) != 0;

    /// <summary>Serves until agent.shutdown has been answered, the coordinator closes the connection, or the token fires; returns the exit code.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        _connection.Start();
        _sendingEvents = _coordinator.SendEventsAsync(_lifetime.Token);
        Log($"agent '{_agentId}' ready ({AgentInfo})");
        var ended = await Task.WhenAny(_connection.Completion, _shutdownAnswered.Task, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
        if (ended == _shutdownAnswered.Task)
        {
            // The answer is queued the moment the handler returns; the coordinator normally closes stdin once it has it.
            await ((Task)_connection.Completion.WaitAsync(ExitGrace, _clock)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        else
        {
            var why = ended == _connection.Completion ? $"the connection closed ({_connection.Completion.Result.Message})" : "the host was cancelled";
            Log($"stopping: {why}");
            await StopTasksAsync("the agent is stopping: " + why, _options.ShutdownGrace).ConfigureAwait(false);
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _reporting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _sendingEvents.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _lifetime.Dispose();
    }

    private static string AgentInfo { get; } = DescribeEntryAssembly();

    private static string DescribeEntryAssembly()
    {
        var assembly = Assembly.GetEntryAssembly() ?? typeof(AgentRuntime).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "0.0.0";
        return $"{assembly.GetName().Name} {version.Split('+')[0]}";
    }

    private AgentStatus Status => IsStopping ? AgentStatus.Stopping : _tasks.RunningCount > 0 ? AgentStatus.Busy : AgentStatus.Idle;

    private AgentMetrics Metrics()
    {
        var sample = _sampler.Read();
        var finished = Interlocked.Read(ref _finishedTasks);
        return new AgentMetrics
        {
            AgentId = _agentId,
            Timestamp = _clock.GetUtcNow(),
            Status = Status,
            CpuPercent = sample.CpuPercent,
            MemoryMb = sample.MemoryMb,
            DiskIoKb = sample.DiskIoKb,
            ResponseTimeMs = finished == 0 ? 0 : Math.Round((double)Interlocked.Read(ref _totalExecutionMs) / finished, 3),
            ErrorCount = Interlocked.Read(ref _failedTasks),
            TaskCount = finished,
            UptimeSeconds = sample.UptimeSeconds,
        };
    }

    private void Log(string message) => AgentLog.Write(_options.Log, message);

    /// <summary>
    /// Serves a method whose JSON contracts are made on its first call. Registering with AgentProtocol's typed methods would
    /// build all 44 of the protocol's contracts before the first read: about 200 ms of JIT, most of start-to-initialized
    /// (measured, docs/agent-sdk.md). Here the connection hands over the params as a JsonElement and takes the result as one,
    /// and each method binds its own contract when it is first called; the price is a few microseconds per call.
    /// </summary>
    private void Serve<TParams, TResult>(
        string method,
        Func<ProtocolJsonContext, JsonTypeInfo<TParams>> paramsContract,
        Func<ProtocolJsonContext, JsonTypeInfo<TResult>> resultContract,
        Func<TParams, CancellationToken, ValueTask<TResult>> handler)
    {
        _connection.AddMethod(method, AgentJsonContext.Default.JsonElement, AgentJsonContext.Default.JsonElement, async (element, cancellationToken) =>
        {
            TParams parameters;
            try
            {
                parameters = element.Deserialize(paramsContract(ProtocolJsonContext.Default))
                    ?? throw new JsonException("The params are null.");
            }
            catch (JsonException e)
            {
                throw new AiSwitchException(ErrorId.RpcInvalidParams, $"Invalid params for '{method}': {e.Message}", method, e);
            }

            var result = await handler(parameters, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.SerializeToElement(result, resultContract(ProtocolJsonContext.Default));
        });
    }

    /// <summary>Runs a call to the coordinator in the background, logging instead of failing: reports must never break a task.</summary>
    private void InBackground(string what, Func<CancellationToken, Task> call) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await call(_lifetime.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AiSwitchException or OperationCanceledException or ObjectDisposedException)
            {
                Log($"{what} failed: {e.Message}");
            }
        });
}
