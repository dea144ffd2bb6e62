using System.Text.Json;

namespace AiSwitch.Rpc;

/// <summary>
/// The members of one message, read in one pass without building a document: the id and method as values,
/// params, result and error as byte ranges of the line, deserialized later by whoever knows their type.
/// </summary>
internal struct MessageEnvelope
{
    private static ReadOnlySpan<byte> JsonRpcName => "jsonrpc"u8;

    private static ReadOnlySpan<byte> IdName => "id"u8;

    private static ReadOnlySpan<byte> MethodName => "method"u8;

    private static ReadOnlySpan<byte> ParamsName => "params"u8;

    private static ReadOnlySpan<byte> ResultName => "result"u8;

    private static ReadOnlySpan<byte> ErrorName => "error"u8;

    public bool IsObject;
    public bool VersionInvalid;
    public bool HasId;
    public bool IdInvalid;
    public JsonRpcId Id;
    public bool HasMethod;
    public string? Method;
    public bool HasParams;
    public bool HasResult;
    public bool HasError;
    public Range Params;
    public Range Result;
    public Range Error;

    public readonly bool IdUsable => HasId && !IdInvalid;

    /// <summary>Reads the envelope; throws <see cref="JsonException"/> when the text is not one JSON value.</summary>
    public static MessageEnvelope Read(ReadOnlySpan<byte> json, JsonReaderOptions options)
    {
        var envelope = default(MessageEnvelope);
        var reader = new Utf8JsonReader(json, options);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            EnsureEnd(ref reader);
            return envelope;
        }

        envelope.IsObject = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(JsonRpcName))
            {
                reader.Read();
                envelope.VersionInvalid = reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("2.0"u8);
                reader.Skip();
            }
            else if (reader.ValueTextEquals(IdName))
            {
                reader.Read();
                envelope.HasId = true;
                envelope.IdInvalid = !JsonRpcId.TryRead(ref reader, out envelope.Id);
                reader.Skip();
            }
            else if (reader.ValueTextEquals(MethodName))
            {
                reader.Read();
                envelope.HasMethod = true;
                envelope.Method = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals(ParamsName))
            {
                envelope.HasParams = ReadValueRange(ref reader, out envelope.Params);
            }
            else if (reader.ValueTextEquals(ResultName))
            {
                ReadValueRange(ref reader, out envelope.Result);
                envelope.HasResult = true;
            }
            else if (reader.ValueTextEquals(ErrorName))
            {
                envelope.HasError = ReadValueRange(ref reader, out envelope.Error);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        EnsureEnd(ref reader);
        return envelope;
    }

    /// <summary>Skips the value after a property name, returning its range; false when the value is null.</summary>
    private static bool ReadValueRange(ref Utf8JsonReader reader, out Range range)
    {
        reader.Read();
        var start = (int)reader.TokenStartIndex;
        var isNull = reader.TokenType == JsonTokenType.Null;
        reader.Skip();
        range = start..(int)reader.BytesConsumed;
        return !isNull;
    }

    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        // Anything but whitespace after the value makes the reader throw: "{} {}" is one bad message, not two.
        if (reader.Read())
        {
            throw new JsonException($"Unexpected content after the message at byte {reader.TokenStartIndex}.");
        }
    }
}
