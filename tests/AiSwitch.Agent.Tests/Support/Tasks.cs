using System.Text.Json;
using AiSwitch.Protocol;

namespace AiSwitch.Agent.Tests.Support;

public static class Tasks
{
    /// <summary>A task whose metadata tells the reference agent what to do (docs/reference-agent.md): hang, latency_ms, fail…</summary>
    public static AgentTask Make(string id, string prompt = "hello", Dictionary<string, object>? metadata = null, double timeoutSeconds = 30) => new()
    {
        Id = id,
        Prompt = prompt,
        Timeout = timeoutSeconds,
        Metadata = (metadata ?? []).ToDictionary(pair => pair.Key, pair => JsonSerializer.SerializeToElement(pair.Value)),
    };
}
