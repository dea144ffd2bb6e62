using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiSwitch.MockProvider;

/// <summary>
/// Builds a small value that fits a JSON Schema (Gemini's responseJsonSchema, OpenAI's json_schema) or Gemini's OpenAPI-style
/// responseSchema (upper-case types): every declared property, one array item (or minItems), the first enum value, the minimum
/// of a numeric range, strings padded to minLength. $ref into the same document, anyOf/oneOf (first non-null branch) and allOf
/// (merged) are followed.
/// </summary>
internal static class SchemaSample
{
    private const int MaxDepth = 24;

    public static JsonNode? Generate(JsonElement schema) => Generate(schema, schema, 0);

    private static JsonNode? Generate(JsonElement schema, JsonElement root, int depth)
    {
        if (depth > MaxDepth || schema.ValueKind != JsonValueKind.Object)
        {
            return schema.ValueKind == JsonValueKind.True ? JsonValue.Create("mock") : null;
        }

        if (schema.TryGetProperty("$ref", out var reference) && reference.ValueKind == JsonValueKind.String)
        {
            return Resolve(root, reference.GetString()!) is { } target ? Generate(target, root, depth + 1) : null;
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            return JsonNode.Parse(constant.GetRawText());
        }

        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            return JsonNode.Parse(values[0].GetRawText());
        }

        foreach (var keyword in new[] { "anyOf", "oneOf" })
        {
            if (schema.TryGetProperty(keyword, out var branches) && branches.ValueKind == JsonValueKind.Array)
            {
                var branch = branches.EnumerateArray().FirstOrDefault(b => TypeOf(b) != "null");
                if (branch.ValueKind == JsonValueKind.Object)
                {
                    return Generate(branch, root, depth + 1);
                }
            }
        }

        if (schema.TryGetProperty("allOf", out var parts) && parts.ValueKind == JsonValueKind.Array)
        {
            return Merge(parts.EnumerateArray().Select(part => Generate(part, root, depth + 1)));
        }

        return TypeOf(schema) switch
        {
            "object" => ObjectSample(schema, root, depth),
            "array" => ArraySample(schema, root, depth),
            "integer" => JsonValue.Create((long)Math.Ceiling(NumberIn(schema, 1))),
            "number" => JsonValue.Create(NumberIn(schema, 1.5)),
            "boolean" => JsonValue.Create(true),
            "null" => null,
            _ => JsonValue.Create(StringSample(schema)),
        };
    }

    /// <summary>The schema's type in lower case; a type list picks its first non-null entry; no type is inferred from keywords.</summary>
    private static string TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return "";
        }

        if (schema.TryGetProperty("type", out var type))
        {
            if (type.ValueKind == JsonValueKind.String)
            {
                return type.GetString()!.ToLowerInvariant();
            }

            if (type.ValueKind == JsonValueKind.Array)
            {
                var names = type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!.ToLowerInvariant()).ToList();
                return names.FirstOrDefault(n => n != "null") ?? names.FirstOrDefault() ?? "";
            }
        }

        if (schema.TryGetProperty("properties", out _))
        {
            return "object";
        }

        return schema.TryGetProperty("items", out _) ? "array" : "";
    }

    private static JsonObject ObjectSample(JsonElement schema, JsonElement root, int depth)
    {
        var result = new JsonObject();
        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                result[property.Name] = Generate(property.Value, root, depth + 1);
            }
        }

        return result;
    }

    private static JsonArray ArraySample(JsonElement schema, JsonElement root, int depth)
    {
        var count = Math.Max(1, IntKeyword(schema, "minItems") ?? 0);
        count = Math.Min(count, IntKeyword(schema, "maxItems") ?? count);
        var array = new JsonArray();
        if (schema.TryGetProperty("items", out var items))
        {
            for (var i = 0; i < count; i++)
            {
                array.Add(Generate(items, root, depth + 1));
            }
        }

        return array;
    }

    private static double NumberIn(JsonElement schema, double fallback)
    {
        var low = DoubleKeyword(schema, "minimum") ?? (DoubleKeyword(schema, "exclusiveMinimum") + 1);
        var high = DoubleKeyword(schema, "maximum") ?? (DoubleKeyword(schema, "exclusiveMaximum") - 1);
        var value = low ?? fallback;
        return high is { } max && value > max ? max : value;
    }

    private static string StringSample(JsonElement schema)
    {
        var format = schema.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        var text = format switch
        {
            "date-time" => "2026-01-01T00:00:00Z",
            "date" => "2026-01-01",
            "time" => "00:00:00",
            "uri" or "url" => "https://example.invalid/",
            "email" => "mock@example.invalid",
            "uuid" => "00000000-0000-4000-8000-000000000000",
            _ => "mock",
        };
        var minLength = IntKeyword(schema, "minLength") ?? 0;
        if (text.Length < minLength)
        {
            text = text.PadRight(minLength, 'x');
        }

        var maxLength = IntKeyword(schema, "maxLength");
        return maxLength is { } max && text.Length > max ? text[..max] : text;
    }

    private static JsonNode? Merge(IEnumerable<JsonNode?> samples)
    {
        JsonNode? merged = null;
        foreach (var sample in samples)
        {
            if (merged is JsonObject target && sample is JsonObject source)
            {
                foreach (var (name, value) in source.ToList())
                {
                    source.Remove(name);
                    target[name] = value;
                }
            }
            else
            {
                merged ??= sample;
            }
        }

        return merged;
    }

    private static JsonElement? Resolve(JsonElement root, string reference)
    {
        if (!reference.StartsWith('#'))
        {
            return null;
        }

        var current = root;
        foreach (var raw in reference[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current;
    }

    private static int? IntKeyword(JsonElement schema, string name) =>
        DoubleKeyword(schema, name) is { } value ? (int)Math.Clamp(value, 0, 1000) : null;

    /// <summary>Reads a numeric keyword; Gemini's OpenAPI schema may send numbers as strings ("minItems": "1").</summary>
    private static double? DoubleKeyword(JsonElement schema, string name)
    {
        if (!schema.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }
}
