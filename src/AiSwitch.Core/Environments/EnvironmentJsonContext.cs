using System.Text.Json.Serialization;

namespace AiSwitch.Core.Environments;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(SnapshotRecord))]
[JsonSerializable(typeof(AgentEnvironmentRecord))]
internal sealed partial class EnvironmentJsonContext : JsonSerializerContext
{
}
