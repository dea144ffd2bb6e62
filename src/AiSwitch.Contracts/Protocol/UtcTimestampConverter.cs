using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiSwitch.Protocol;

/// <summary>
/// Timestamps go out as ISO 8601 in UTC with a Z ("2024-01-01T10:00:00Z"), as in seed 003's examples; any
/// ISO 8601 form comes in, and one without an offset (Python's <c>datetime.now().isoformat()</c>) is read as UTC.
/// </summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"A timestamp must be an ISO 8601 string, not {reader.TokenType}.");
        }

        if (reader.TryGetDateTime(out var dateTime) && dateTime.Kind == DateTimeKind.Unspecified)
        {
            return new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc));
        }

        if (reader.TryGetDateTimeOffset(out var value))
        {
            return value;
        }

        throw new JsonException($"'{reader.GetString()}' is not an ISO 8601 timestamp such as 2024-01-01T10:00:00Z.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime);
}
