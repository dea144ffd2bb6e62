using System.Text.Json.Serialization;
using AiSwitch.Protocol;

namespace AiSwitch;

/// <summary>Seed 003 AgentStatus.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<AgentStatus>))]
public enum AgentStatus
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
public enum MetricAggregation
{
    Avg,
    Max,
    Min,
    Sum,
}
