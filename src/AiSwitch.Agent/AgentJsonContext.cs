using System.Text.Json.Serialization;

namespace AiSwitch.Agent;

/// <summary>Source-generated JSON for the SDK's own small payloads (event data, task metadata values).</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class AgentJsonContext : JsonSerializerContext
{
}
