using System.Text.Json.Serialization;
using AiSwitch.Protocol;

namespace AiSwitch;

/// <summary>Seed 003 AgentStatus.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<AgentStatus>))]
// long-based so that ConvertTo-Json writes the name, not a number (see TaskState).
public enum AgentStatus : long
{
    Stopped,
    Starting,
    Running,
    Busy,
    Idle,
    Error,
    Stopping,
}

/// <summary>metrics.query's aggregation.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<MetricAggregation>))]
// long-based so that ConvertTo-Json writes the name, not a number (see TaskState).
public enum MetricAggregation : long
{
    Avg,
    Max,
    Min,
    Sum,
}
