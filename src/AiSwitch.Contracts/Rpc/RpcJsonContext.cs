using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiSwitch.Rpc;

/// <summary>The error object of a response as it arrives.</summary>
internal sealed class JsonRpcErrorObject
{
    public int Code { get; init; }

    public string? Message { get; init; }

    public JsonElement? Data { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(JsonRpcErrorObject))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
internal sealed partial class RpcJsonContext : JsonSerializerContext
{
}
