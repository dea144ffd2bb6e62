using System.Text.Json.Serialization;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Agents;

/// <summary>tmp/pids/&lt;session&gt;-&lt;agent&gt;-&lt;pid&gt;.json: one supervised process, while it lives.</summary>
internal sealed class PidFileRecord
{
    public required string Agent { get; init; }

    public required int Pid { get; init; }

    /// <summary>The process's start-time token (see ProcessIdentity), so a reused pid is not mistaken for it.</summary>
    public string? StartToken { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>The Unix process group it leads; null on Windows or when it could not get its own group.</summary>
    public int? ProcessGroup { get; init; }

    public required string SessionId { get; init; }

    public required int OwnerPid { get; init; }

    public string? OwnerStartToken { get; init; }
}

/// <summary>state/agents.json: the live agents of every session, so Get-AiAgent elsewhere sees them.</summary>
internal sealed class AgentStateFile
{
    public List<AgentStateEntry> Agents { get; set; } = [];
}

internal sealed class AgentStateEntry
{
    public required string Name { get; init; }

    public required string SessionId { get; init; }

    public required int OwnerPid { get; init; }

    public string? OwnerStartToken { get; init; }

    public AgentStatus Status { get; init; }

    public string? Preset { get; init; }

    public int? Pid { get; init; }

    /// <summary>When the process in <see cref="Pid"/> started; absent from entries older writers made.</summary>
    public DateTimeOffset? PidSince { get; init; }

    /// <summary>The start-time token of <see cref="Pid"/> (ProcessIdentity), so another process kills it only while it is still that process.</summary>
    public string? PidStartToken { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public int ActiveTasks { get; init; }

    public double? Progress { get; init; }

    public long TasksDone { get; init; }

    public long Errors { get; init; }

    public int Restarts { get; init; }

    public DateTimeOffset? LastHeartbeat { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(PidFileRecord))]
[JsonSerializable(typeof(AgentStateFile))]
[JsonSerializable(typeof(CircuitFile))]
[JsonSerializable(typeof(AgentStopRequest))]
internal sealed partial class AgentsJsonContext : JsonSerializerContext;
