using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiSwitch.MockProvider;

/// <summary>How the mock writes JSON: compact, camelCase for its own types, and without HTML escaping (quotes stay quotes).</summary>
internal static class WireJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Text(JsonNode? node) => node?.ToJsonString(Options) ?? "null";
}
