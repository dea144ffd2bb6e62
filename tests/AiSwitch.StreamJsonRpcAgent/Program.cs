// An AiSwitch agent on StreamJsonRpc, with nothing of AiSwitch's own (docs/agents/streamjsonrpc.md).
// The three things that make StreamJsonRpc speak AiSwitch's protocol: newline framing (one message per line),
// snake_case members, and each method taking the params object whole (UseSingleObjectParameterDeserialization).
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using StreamJsonRpc;

var formatter = new SystemTextJsonFormatter();
formatter.JsonSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
formatter.JsonSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
var handler = new NewLineDelimitedMessageHandler(Console.OpenStandardOutput(), Console.OpenStandardInput(), formatter);
using var rpc = new JsonRpc(handler);
var agent = new EchoAgent(rpc, TimeSpan.FromMilliseconds(int.TryParse(Environment.GetEnvironmentVariable("HEARTBEAT_MS"), out var ms) ? ms : 5000));
rpc.AddLocalRpcTarget(agent, new JsonRpcTargetOptions { UseSingleObjectParameterDeserialization = true });
rpc.StartListening();
agent.StartHeartbeat();
await rpc.Completion; // ends when the coordinator closes stdin, or after agent.shutdown
return 0;

/// <summary>Answers each task with its prompt, the preset it runs under and the MODEL variable of that preset.</summary>
internal sealed class EchoAgent(JsonRpc rpc, TimeSpan heartbeat)
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new();
    private readonly ConcurrentDictionary<string, TaskResult> _results = new();
    private string _agentId = "streamjsonrpc-agent";
    private string? _preset;
    private IReadOnlyDictionary<string, string> _variables = new Dictionary<string, string>();

    [JsonRpcMethod("agent.initialize")]
    public InitializeResult Initialize(InitializeParams p)
    {
        _agentId = p.AgentId;
        return new(p.AgentId, "1.0.0", ["env_switching", "events", "heartbeat", "cancellation"], "idle", "streamjsonrpc-echo 1.0");
    }

    [JsonRpcMethod("event.subscribe")]
    public SubscribeResult Subscribe(SubscribeParams p) => new("all", p.EventTypes);

    [JsonRpcMethod("env.switch")]
    public SwitchEnvResult SwitchEnv(SwitchEnvParams p)
    {
        var previous = _preset;
        (_preset, _variables) = (p.Preset, p.Variables ?? new Dictionary<string, string>());
        return new(previous, p.Preset, null, DateTimeOffset.UtcNow);
    }

    /// <summary>Answered when the task has finished; $/cancelRequest cancels <paramref name="cancellationToken"/>.</summary>
    [JsonRpcMethod("task.assign")]
    public async Task<AssignTaskResult> AssignAsync(AssignTaskParams p, CancellationToken cancellationToken)
    {
        var task = p.Task;
        var assignedAt = DateTimeOffset.UtcNow;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _running[task.Id] = cancel;
        try
        {
            await PublishAsync("task.started", task.Id);
            if (task.Metadata?.TryGetValue("hang", out var hang) == true && hang.ValueKind == JsonValueKind.True)
            {
                // Stands for long work: only a cancellation ends it. Throwing OperationCanceledException is what makes
                // StreamJsonRpc answer -32800, the code the coordinator reads as "cancelled".
                await Task.Delay(Timeout.Infinite, cancel.Token);
            }

            var text = $"{task.Prompt} (preset {_preset ?? "none"}, MODEL={_variables.GetValueOrDefault("MODEL", "unset")})";
            var usage = new TokenUsage(task.Prompt.Length, text.Length, task.Prompt.Length + text.Length);
            var result = new TaskResult(task.Id, true, text, null, usage, (long)(DateTimeOffset.UtcNow - assignedAt).TotalMilliseconds, DateTimeOffset.UtcNow);
            _results[task.Id] = result;
            await PublishAsync("task.completed", task.Id);
            // The coordinator asks for the result with task.result next (an SDK agent may put it here, as an extension).
            return new(task.Id, assignedAt, DateTimeOffset.UtcNow);
        }
        catch (OperationCanceledException)
        {
            await PublishAsync("task.cancelled", task.Id);
            throw;
        }
        finally
        {
            _running.TryRemove(task.Id, out _);
        }
    }

    [JsonRpcMethod("task.result")]
    public TaskResult Result(TaskIdParams p) => _results.TryGetValue(p.TaskId, out var result)
        ? result
        : throw new LocalRpcException($"Task '{p.TaskId}' is not known here.") { ErrorCode = -40101, ErrorData = new { error_id = "TaskNotFound" } };

    [JsonRpcMethod("task.cancel")]
    public CancelTaskResult Cancel(TaskIdParams p)
    {
        if (_running.TryGetValue(p.TaskId, out var running))
        {
            running.Cancel();
        }

        return new(p.TaskId, "cancelled", DateTimeOffset.UtcNow);
    }

    [JsonRpcMethod("agent.status")]
    public StatusResult Status() => new(_agentId, _running.IsEmpty ? "idle" : "busy", _running.Keys.FirstOrDefault(), Metrics(), DateTimeOffset.UtcNow);

    [JsonRpcMethod("agent.shutdown")]
    public ShutdownResult Shutdown(ShutdownParams? p = null)
    {
        // Answer first, then leave: the coordinator waits for the answer, then for the process to exit.
        _ = Task.Run(async () =>
        {
            await Task.Delay(100);
            rpc.Dispose();
        });
        return new("stopped", DateTimeOffset.UtcNow, Metrics());
    }

    /// <summary>
    /// coordination.heartbeat while the connection lasts. InvokeAsync(method, obj) sends the object by position
    /// (params:[obj]), which AiSwitch reads as that object.
    /// </summary>
    public void StartHeartbeat() => _ = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(heartbeat);
        while (!rpc.IsDisposed && await timer.WaitForNextTickAsync())
        {
            try
            {
                await rpc.InvokeAsync<JsonElement>("coordination.heartbeat", new HeartbeatParams(_agentId, _running.IsEmpty ? "idle" : "busy", [.. _running.Keys]));
            }
            catch (Exception e) when (e is ConnectionLostException or ObjectDisposedException)
            {
                return;
            }
        }
    });

    private Task PublishAsync(string eventType, string taskId) =>
        rpc.NotifyAsync("event.publish", new PublishEventParams(eventType, new Dictionary<string, string> { ["task_id"] = taskId }, DateTimeOffset.UtcNow, _agentId));

    private AgentMetrics Metrics() => new(_agentId, DateTimeOffset.UtcNow, _running.IsEmpty ? "idle" : "busy", 0, GC.GetTotalMemory(false) / 1048576.0, _results.Count);
}

internal sealed record InitializeParams(string AgentId, string ProtocolVersion, string[] SupportedFeatures);
internal sealed record InitializeResult(string AgentId, string ProtocolVersion, string[] SupportedFeatures, string Status, string AgentInfo);
internal sealed record SubscribeParams(string[] EventTypes);
internal sealed record SubscribeResult(string SubscriptionId, string[] EventTypes);
internal sealed record SwitchEnvParams(string Preset, Dictionary<string, string>? Variables, bool? CreateSnapshot);
internal sealed record SwitchEnvResult(string? PreviousPreset, string CurrentPreset, string? SnapshotId, DateTimeOffset SwitchedAt);
internal sealed record AgentTask(string Id, string Prompt, Dictionary<string, JsonElement>? Metadata);
internal sealed record AssignTaskParams(AgentTask Task);
internal sealed record AssignTaskResult(string TaskId, DateTimeOffset AssignedAt, DateTimeOffset EstimatedCompletion);
internal sealed record TokenUsage(long InputTokens, long OutputTokens, long TotalTokens);
internal sealed record TaskResult(string TaskId, bool Success, string? Result, string? Error, TokenUsage? TokensUsed, long ExecutionTimeMs, DateTimeOffset CompletedAt);
internal sealed record TaskIdParams(string TaskId);
internal sealed record CancelTaskResult(string TaskId, string Status, DateTimeOffset CancelledAt);
internal sealed record AgentMetrics(string AgentId, DateTimeOffset Timestamp, string Status, double CpuPercent, double MemoryMb, long TaskCount);
internal sealed record StatusResult(string AgentId, string Status, string? CurrentTask, AgentMetrics Metrics, DateTimeOffset LastHeartbeat);
internal sealed record ShutdownResult(string Status, DateTimeOffset ShutdownAt, AgentMetrics FinalMetrics);
internal sealed record ShutdownParams(bool? Force, double? Timeout);
internal sealed record HeartbeatParams(string AgentId, string Status, string[] CurrentTasks);
internal sealed record PublishEventParams(string EventType, Dictionary<string, string> Data, DateTimeOffset Timestamp, string AgentId);
