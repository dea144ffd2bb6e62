using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiSwitch.Protocol;

/// <summary>Writes and reads an enum as its snake_case name ("in_progress"); numbers are refused.</summary>
public sealed class SnakeCaseEnumConverter<TEnum> : JsonStringEnumConverter<TEnum>
    where TEnum : struct, Enum
{
    public SnakeCaseEnumConverter()
        : base(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    {
    }
}

/// <summary>Seed 003 TaskStatus (named AgentTaskStatus so it never clashes with System.Threading.Tasks.TaskStatus).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<AgentTaskStatus>))]
public enum AgentTaskStatus
{
    Pending,
    Assigned,
    Running,
    Completed,
    Failed,
    Cancelled,
    Timeout,
}

/// <summary>Seed 003 CoordinationMode: strict (locks), loose (state sync only), isolated (no coordination).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<CoordinationMode>))]
public enum CoordinationMode
{
    Strict,
    Loose,
    Isolated,
}

/// <summary>tokens.summary's timeframe.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<Timeframe>))]
public enum Timeframe
{
    Hour,
    Day,
    Week,
    Month,
}

/// <summary>coordination.lock's lock_type.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<LockType>))]
public enum LockType
{
    Shared,
    Exclusive,
}

/// <summary>coordination.heartbeat's coordination_status.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<CoordinationStatus>))]
public enum CoordinationStatus
{
    Active,
    Standby,
    Degraded,
}
