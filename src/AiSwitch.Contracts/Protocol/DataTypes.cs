using System.Text.Json;

namespace AiSwitch.Protocol;

// Members with a default are settable, not init-only, in every contract here: the .NET 8 source generator binds
// init-only members through the constructor and would overwrite a default with zero or null when the member is absent.

/// <summary>Seed 003 Task, the unit of work the coordinator assigns (<c>task.assign</c>).</summary>
public sealed class AgentTask
{
    public required string Id { get; init; }

    public required string Prompt { get; init; }

    public string? SystemPrompt { get; init; }

    public int? MaxTokens { get; init; }

    public double? Temperature { get; init; }

    /// <summary>Seconds; seed default 30.</summary>
    public double Timeout { get; set; } = 30.0;

    /// <summary>1 (lowest) to 10; seed default 5.</summary>
    public int Priority { get; set; } = 5;

    public Dictionary<string, JsonElement> Metadata { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public bool ChainMode { get; init; }

    /// <summary>Context carried into the task, such as the previous agent's output in a chain.</summary>
    public string? Context { get; init; }
}

/// <summary>Seed 003 TaskResult as it goes on the wire (<c>task.result</c>, <c>task.status</c>).</summary>
public sealed class AgentTaskResult
{
    public required string TaskId { get; init; }

    public required bool Success { get; init; }

    public string? Result { get; init; }

    public string? Error { get; init; }

    public TokenUsage? TokensUsed { get; init; }

    public long ExecutionTimeMs { get; init; }

    public DateTimeOffset CompletedAt { get; set; } = DateTimeOffset.UtcNow;

    public Dictionary<string, JsonElement> Metadata { get; set; } = [];
}

/// <summary>Seed 003 AgentMetrics: one sample of an agent's health and load.</summary>
public sealed class AgentMetrics
{
    public required string AgentId { get; init; }

    public DateTimeOffset Timestamp { get; set; } = DateTimeOffset.UtcNow;

    public AgentStatus Status { get; init; }

    public double CpuPercent { get; init; }

    public double MemoryMb { get; init; }

    public double DiskIoKb { get; init; }

    public double NetworkIoKb { get; init; }

    /// <summary>Average response time in milliseconds.</summary>
    public double ResponseTimeMs { get; init; }

    public long ErrorCount { get; init; }

    public long TaskCount { get; init; }

    public double UptimeSeconds { get; init; }
}

/// <summary>
/// Seed 003 TokenUsage, plus the cache and reasoning counts the agent CLIs report (optional; absent when unknown).
/// <see cref="InputTokens"/> includes cached input, as Claude and Codex count it.
/// </summary>
public sealed class TokenUsage
{
    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long TotalTokens { get; init; }

    public decimal? CostUsd { get; init; }

    public string? Model { get; init; }

    /// <summary>Input tokens served from the provider's prompt cache (extension).</summary>
    public long? CacheReadTokens { get; init; }

    /// <summary>Input tokens written to the provider's prompt cache (extension).</summary>
    public long? CacheWriteTokens { get; init; }

    /// <summary>Output tokens spent on hidden reasoning (extension).</summary>
    public long? ReasoningTokens { get; init; }
}

/// <summary>Seed 003 EnvSnapshot as it goes on the wire. Variables may hold secrets: never log or show them unredacted.</summary>
public sealed class AgentEnvSnapshot
{
    public required string SnapshotId { get; init; }

    public required string AgentId { get; init; }

    public DateTimeOffset Timestamp { get; set; } = DateTimeOffset.UtcNow;

    public required string PresetName { get; init; }

    public Dictionary<string, string> Variables { get; set; } = [];

    /// <summary>SHA-256 of the snapshot's variables, hex.</summary>
    public required string Checksum { get; init; }

    /// <summary>The description given to <c>env.snapshot</c> (extension).</summary>
    public string? Description { get; init; }
}

/// <summary>Params of a method that takes none (<c>agent.status</c>, <c>env.list_snapshots</c>); reads and writes <c>{}</c>.</summary>
public sealed class EmptyParams
{
    public static EmptyParams Instance { get; } = new();
}
