using System.Collections.Concurrent;
using System.Text.Json;
using AiSwitch.Agent;
using AiSwitch.Protocol;

namespace AiSwitch.ReferenceAgent;

/// <summary>
/// An agent that does what its <see cref="Behavior"/> says: the command line sets the defaults, each task's metadata
/// overrides them (docs/reference-agent.md).
/// </summary>
public sealed class ReferenceAgent : AgentBase
{
    private readonly Behavior _defaults;
    private readonly ConcurrentDictionary<EventWaiter, byte> _waiters = new();

    public ReferenceAgent(Behavior defaults)
    {
        _defaults = defaults;
    }

    protected override async Task<TaskOutput> ExecuteAsync(AgentTask task, TaskContext context, CancellationToken cancellationToken)
    {
        var behavior = _defaults.With(MetadataAsText(task.Metadata));
        Crash(behavior.Crash, task.Id, context);
        if (behavior.Progress is { } percent)
        {
            context.ReportProgress(percent);
        }

        var lockId = behavior.Lock is { } lockName ? await context.Coordinator.LockAsync(lockName, cancellationToken) : null;
        string? answer = null;
        try
        {
            if (behavior.PublishEvent is { } eventType)
            {
                await context.Coordinator.PublishEventAsync(eventType, new Dictionary<string, string> { ["task_id"] = task.Id }, cancellationToken);
            }

            answer = behavior.Query switch
            {
                "metrics" => JsonSerializer.Serialize(
                    await context.Coordinator.QueryMetricsAsync(new QueryMetricsParams { Aggregation = MetricAggregation.Avg }, cancellationToken),
                    ProtocolJsonContext.Default.QueryMetricsResult),
                "tokens" => JsonSerializer.Serialize(
                    await context.Coordinator.TokenSummaryAsync(new TokenSummaryParams { Timeframe = Timeframe.Day }, cancellationToken),
                    ProtocolJsonContext.Default.TokenSummaryResult),
                "events" => await FirstEventAsync(behavior.EventTypes, context.Coordinator, cancellationToken),
                _ => null,
            };

            if (behavior.Hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (behavior.LatencyMs > 0)
            {
                await Task.Delay(behavior.LatencyMs, cancellationToken);
            }
        }
        finally
        {
            if (lockId is not null)
            {
                await context.Coordinator.UnlockAsync(lockId, CancellationToken.None);
            }
        }

        var usage = Usage(behavior);
        return behavior.Fail is { } error
            ? TaskOutput.Failed(error, usage)
            : TaskOutput.Succeeded(answer ?? Reply(task, behavior, context.Environment), usage);
    }

    /// <summary>The coordinator's events reach every task waiting for their type.</summary>
    protected override ValueTask OnEventAsync(PublishEventParams published, CancellationToken cancellationToken)
    {
        foreach (var waiter in _waiters.Keys)
        {
            if (waiter.Types.Contains(published.EventType) || waiter.Types.Contains("*"))
            {
                waiter.Received.TrySetResult(published);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>event.subscribe, the first event of those types, event.unsubscribe: the reply shows all three.</summary>
    private async Task<string> FirstEventAsync(IReadOnlyList<string> types, Coordinator coordinator, CancellationToken cancellationToken)
    {
        var waiter = new EventWaiter([.. types]);
        _waiters[waiter] = 0;
        try
        {
            var subscription = await coordinator.SubscribeAsync(types, cancellationToken);
            var received = await waiter.Received.Task.WaitAsync(cancellationToken);
            var removed = await coordinator.UnsubscribeAsync(subscription.SubscriptionId, cancellationToken);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("subscription_id", subscription.SubscriptionId);
                writer.WritePropertyName("event");
                JsonSerializer.Serialize(writer, received, ProtocolJsonContext.Default.PublishEventParams);
                writer.WriteBoolean("removed", removed);
                writer.WriteEndObject();
            }

            return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        }
        finally
        {
            _waiters.TryRemove(waiter, out _);
        }
    }

    /// <summary>Ends the process in the middle of the call, without answering it: what a crashing agent looks like to a coordinator.</summary>
    private static void Crash(CrashMode mode, string taskId, TaskContext context)
    {
        switch (mode)
        {
            case CrashMode.Exit:
                context.Log("crashing with exit code 3, as told");
                Environment.Exit(3);
                break;
            case CrashMode.FailFast:
                Environment.FailFast($"The reference agent was told to crash in task '{taskId}'.");
                break;
        }
    }

    private static TokenUsage? Usage(Behavior behavior)
    {
        if (behavior.InputTokens == 0 && behavior.OutputTokens == 0)
        {
            return null;
        }

        return new TokenUsage
        {
            InputTokens = behavior.InputTokens,
            OutputTokens = behavior.OutputTokens,
            TotalTokens = behavior.InputTokens + behavior.OutputTokens,
            CacheReadTokens = behavior.CacheReadTokens == 0 ? null : behavior.CacheReadTokens,
            CacheWriteTokens = behavior.CacheWriteTokens == 0 ? null : behavior.CacheWriteTokens,
            ReasoningTokens = behavior.ReasoningTokens == 0 ? null : behavior.ReasoningTokens,
            CostUsd = behavior.CostUsd,
            Model = behavior.Model ?? "reference",
        };
    }

    private static string Reply(AgentTask task, Behavior behavior, EnvironmentView environment)
    {
        if (behavior.OutputBytes > 0)
        {
            return string.Create(behavior.OutputBytes, 0, static (span, _) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = (char)('a' + (i % 26));
                }
            });
        }

        return behavior.EchoEnv is { } name ? $"{name}={environment[name]}" : behavior.Reply ?? task.Prompt;
    }

    private static IEnumerable<KeyValuePair<string, string>> MetadataAsText(Dictionary<string, JsonElement> metadata) =>
        metadata.Select(pair => KeyValuePair.Create(pair.Key, pair.Value.ValueKind switch
        {
            JsonValueKind.String => pair.Value.GetString() ?? string.Empty,
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => pair.Value.GetRawText(),
        }));

    private sealed class EventWaiter(HashSet<string> types)
    {
        public HashSet<string> Types { get; } = types;

        public TaskCompletionSource<PublishEventParams> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
