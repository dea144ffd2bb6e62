using System.Globalization;

namespace AiSwitch.ReferenceAgent;

/// <summary>How the agent crashes when told to: both end the process without answering the call in hand.</summary>
public enum CrashMode
{
    None,
    /// <summary><c>Environment.Exit(3)</c>: the process ends with exit code 3.</summary>
    Exit,
    /// <summary><c>Environment.FailFast</c>: the runtime aborts the process (SIGABRT on Unix).</summary>
    FailFast,
}

/// <summary>
/// What the reference agent does with a task. The command line sets the defaults for every task; a task's
/// <c>metadata</c> overrides them one key at a time (the same names in snake_case: <c>--latency-ms</c> ↔ <c>latency_ms</c>).
/// docs/reference-agent.md lists every option.
/// </summary>
public sealed record Behavior
{
    /// <summary>The reply; null echoes the prompt.</summary>
    public string? Reply { get; init; }

    public int LatencyMs { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long CacheReadTokens { get; init; }

    public long CacheWriteTokens { get; init; }

    public decimal? CostUsd { get; init; }

    public long ReasoningTokens { get; init; }

    public string? Model { get; init; }

    /// <summary>When set, the task fails with this error message.</summary>
    public string? Fail { get; init; }

    public CrashMode Crash { get; init; }

    /// <summary>The task never finishes until it is cancelled (task.cancel, $/cancelRequest, its timeout or shutdown).</summary>
    public bool Hang { get; init; }

    /// <summary>When above zero, the reply is exactly this many bytes (ASCII) instead of the reply text.</summary>
    public int OutputBytes { get; init; }

    /// <summary>The reply is <c>NAME=value</c> of this variable in the environment the task sees (proves env.switch).</summary>
    public string? EchoEnv { get; init; }

    /// <summary>A coordination lock to hold (coordination.lock / coordination.unlock) while the task runs.</summary>
    public string? Lock { get; init; }

    /// <summary>An event type to publish (event.publish) when the task runs.</summary>
    public string? PublishEvent { get; init; }

    /// <summary>
    /// "metrics" or "tokens": the reply is the coordinator's answer to metrics.query or tokens.summary, as JSON. "events":
    /// subscribe to the coordinator's <see cref="EventTypes"/>, wait for the first one, unsubscribe, and reply with it.
    /// </summary>
    public string? Query { get; init; }

    /// <summary>When set, the task reports this progress (0–100, task.status) as soon as it starts.</summary>
    public double? Progress { get; init; }

    /// <summary>The event types <c>query events</c> subscribes to (comma-separated on the command line); "*" for all.</summary>
    public IReadOnlyList<string> EventTypes { get; init; } = ["*"];

    /// <summary>
    /// This behaviour with one option changed. <paramref name="name"/> is the option as the user wrote it (<c>--latency-ms</c>
    /// or the metadata key <c>latency_ms</c>), and error messages name it so; null for a name that is not a behaviour option.
    /// </summary>
    public Behavior? WithOption(string name, string value) =>
        name.TrimStart('-').Replace('_', '-') switch
        {
            "reply" => this with { Reply = value },
            "latency-ms" => this with { LatencyMs = ParseInt(name, value) },
            "input-tokens" => this with { InputTokens = ParseLong(name, value) },
            "output-tokens" => this with { OutputTokens = ParseLong(name, value) },
            "cache-read-tokens" => this with { CacheReadTokens = ParseLong(name, value) },
            "cache-write-tokens" => this with { CacheWriteTokens = ParseLong(name, value) },
            "cost-usd" => this with { CostUsd = decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cost) ? cost : throw new FormatException($"'{name}' must be a dollar amount such as 0.25, not '{value}'.") },
            "reasoning-tokens" => this with { ReasoningTokens = ParseLong(name, value) },
            "model" => this with { Model = value },
            "fail" => this with { Fail = value.Length == 0 || value == "true" ? "The reference agent was told to fail this task." : value == "false" ? null : value },
            "crash" => this with { Crash = ParseCrash(name, value) },
            "hang" => this with { Hang = ParseBool(name, value) },
            "output-bytes" => this with { OutputBytes = ParseInt(name, value) },
            "echo-env" => this with { EchoEnv = value },
            "lock" => this with { Lock = value },
            "publish-event" => this with { PublishEvent = value },
            "query" => this with { Query = value is "metrics" or "tokens" or "events" ? value : throw new FormatException($"'{name}' must be metrics, tokens or events, not '{value}'.") },
            "progress" => this with { Progress = double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent) && percent <= 100 ? percent : throw new FormatException($"'{name}' must be a percentage from 0 to 100, not '{value}'.") },
            "event-types" => this with { EventTypes = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } types ? types : throw new FormatException($"'{name}' must name at least one event type (or *), not '{value}'.") },
            _ => null,
        };

    /// <summary>This behaviour with every recognised key of <paramref name="overrides"/> applied; other keys are left for the task.</summary>
    public Behavior With(IEnumerable<KeyValuePair<string, string>> overrides)
    {
        var result = this;
        foreach (var (name, value) in overrides)
        {
            result = result.WithOption(name, value) ?? result;
        }

        return result;
    }

    private static int ParseInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException($"'{name}' must be a whole number of zero or more, not '{value}'.");

    private static long ParseLong(string name, string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException($"'{name}' must be a whole number of zero or more, not '{value}'.");

    private static bool ParseBool(string name, string value) => value switch
    {
        "" or "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new FormatException($"'{name}' must be true or false, not '{value}'."),
    };

    private static CrashMode ParseCrash(string name, string value) => value switch
    {
        "" or "true" or "exit" => CrashMode.Exit,
        "failfast" => CrashMode.FailFast,
        "false" or "none" => CrashMode.None,
        _ => throw new FormatException($"'{name}' must be exit, failfast or none, not '{value}'."),
    };
}
