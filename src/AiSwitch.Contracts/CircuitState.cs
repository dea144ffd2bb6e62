using System.Text.Json.Serialization;
using AiSwitch.Protocol;

namespace AiSwitch;

/// <summary>
/// An agent's circuit breaker as task distribution sees it: Closed takes tasks; Open (after consecutive failures)
/// takes none until its cool-down ends; HalfOpen lets one probe task through, and its outcome closes or reopens it.
/// </summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<CircuitState>))]
// long-based so that ConvertTo-Json writes the name, not a number (see TaskState).
public enum CircuitState : long
{
    Closed,
    Open,
    HalfOpen,
}
