using System.Text.Json;

namespace AiSwitch.MockProvider;

/// <summary>What the mock needs from a model-call body; the parse is forgiving (a malformed body yields empty fields).</summary>
internal sealed class RequestBody
{
    public string Model { get; private init; } = "";

    public string LastUserText { get; private init; } = "";

    public bool Stream { get; private init; }

    /// <summary>Chat Completions <c>stream_options.include_usage</c>.</summary>
    public bool IncludeUsage { get; private init; }

    public bool JsonMode { get; private init; }

    /// <summary>The requested JSON schema (a clone that outlives the document), when JSON mode names one.</summary>
    public JsonElement? Schema { get; private init; }

    public static RequestBody Parse(MockApi api, string body, string geminiModel, bool geminiSse)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return new RequestBody { Model = geminiModel, Stream = geminiSse };
        }

        // Only the schema is cloned out of the document (see Schema); the strings read are copies already, so the whole
        // body (often hundreds of KB from an agent CLI) is not copied a second time.
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new RequestBody { Model = geminiModel, Stream = geminiSse };
            }

            return api switch
            {
                MockApi.AnthropicMessages or MockApi.AnthropicCountTokens => new RequestBody
                {
                    Model = Str(root, "model"),
                    Stream = Bool(root, "stream"),
                    LastUserText = FindLastUserText(root, "messages", "role", "content"),
                },
                MockApi.OpenAiResponses => Responses(root),
                MockApi.OpenAiChatCompletions => Chat(root),
                _ => Gemini(root, geminiModel, geminiSse),
            };
        }
    }

    private static RequestBody Responses(JsonElement root)
    {
        var text = root.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.String
            ? input.GetString()!
            : FindLastUserText(root, "input", "role", "content");
        var format = Path(root, "text", "format");
        var (jsonMode, schema) = FormatSchema(format, "schema");
        return new RequestBody { Model = Str(root, "model"), Stream = Bool(root, "stream"), LastUserText = text, JsonMode = jsonMode, Schema = schema?.Clone() };
    }

    private static RequestBody Chat(JsonElement root)
    {
        var format = Path(root, "response_format");
        var (jsonMode, schema) = FormatSchema(format, "json_schema", "schema");
        return new RequestBody
        {
            Model = Str(root, "model"),
            Stream = Bool(root, "stream"),
            IncludeUsage = Path(root, "stream_options", "include_usage") is { ValueKind: JsonValueKind.True },
            LastUserText = FindLastUserText(root, "messages", "role", "content"),
            JsonMode = jsonMode,
            Schema = schema?.Clone(),
        };
    }

    private static RequestBody Gemini(JsonElement root, string model, bool sse)
    {
        var config = Path(root, "generationConfig");
        var jsonMode = config is { } c && Str(c, "responseMimeType").Equals("application/json", StringComparison.OrdinalIgnoreCase);
        var schema = config is { } g ? Path(g, "responseJsonSchema") ?? Path(g, "responseSchema") ?? Path(g, "response_json_schema") : null;
        return new RequestBody
        {
            Model = model,
            Stream = sse,
            LastUserText = FindLastUserText(root, "contents", "role", "parts"),
            JsonMode = jsonMode,
            Schema = jsonMode ? schema?.Clone() : null,
        };
    }

    /// <summary>OpenAI formats: {"type":"json_schema", …schema} or {"type":"json_object"}.</summary>
    private static (bool JsonMode, JsonElement? Schema) FormatSchema(JsonElement? format, params string[] schemaPath)
    {
        var type = format is { } f ? Str(f, "type") : "";
        return type switch
        {
            "json_schema" => (true, Path(format!.Value, schemaPath)),
            "json_object" => (true, null),
            _ => (false, null),
        };
    }

    /// <summary>
    /// The text of the last user message that has any: Anthropic/Chat content (string or text blocks), Responses input items
    /// (input_text parts), Gemini contents (text parts; role may be absent). Tool results and images are skipped.
    /// </summary>
    private static string FindLastUserText(JsonElement root, string listName, string roleName, string contentName)
    {
        if (!root.TryGetProperty(listName, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return "";
        }

        foreach (var message in list.EnumerateArray().Reverse())
        {
            if (message.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var role = Str(message, roleName);
            if (role.Length > 0 && role != "user")
            {
                continue;
            }

            if (!message.TryGetProperty(contentName, out var content))
            {
                continue;
            }

            if (content.ValueKind == JsonValueKind.String && content.GetString()!.Length > 0)
            {
                return content.GetString()!;
            }

            if (content.ValueKind == JsonValueKind.Array)
            {
                var text = content.EnumerateArray()
                    .Reverse()
                    .Where(part => part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String
                        && Str(part, "type") is "" or "text" or "input_text")
                    .Select(part => part.GetProperty("text").GetString()!)
                    .FirstOrDefault(t => t.Length > 0);
                if (text is not null)
                {
                    return text;
                }
            }
        }

        return "";
    }

    private static JsonElement? Path(JsonElement element, params string[] names)
    {
        var current = element;
        foreach (var name in names)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current;
    }

    private static string Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static bool Bool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
