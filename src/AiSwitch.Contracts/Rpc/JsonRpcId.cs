using System.Globalization;
using System.Text.Json;

namespace AiSwitch.Rpc;

/// <summary>
/// A JSON-RPC request id: a number, a string, or null. The default value is the null id, which is what
/// error responses carry when the request's id could not be read.
/// </summary>
public readonly struct JsonRpcId : IEquatable<JsonRpcId>
{
    private readonly long _number;
    private readonly string? _string;
    private readonly Kind _kind;

    public JsonRpcId(long number)
    {
        _number = number;
        _string = null;
        _kind = Kind.Number;
    }

    public JsonRpcId(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _number = 0;
        _string = value;
        _kind = Kind.String;
    }

    private enum Kind : byte
    {
        Null,
        Number,
        String,
    }

    public static JsonRpcId Null => default;

    public bool IsNull => _kind == Kind.Null;

    public bool IsNumber => _kind == Kind.Number;

    public bool IsString => _kind == Kind.String;

    public long Number => IsNumber ? _number : throw new InvalidOperationException($"The id {this} is not a number.");

    public string String => _string ?? throw new InvalidOperationException($"The id {this} is not a string.");

    public static bool operator ==(JsonRpcId left, JsonRpcId right) => left.Equals(right);

    public static bool operator !=(JsonRpcId left, JsonRpcId right) => !left.Equals(right);

    public bool Equals(JsonRpcId other) =>
        _kind == other._kind && _number == other._number && string.Equals(_string, other._string, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is JsonRpcId other && Equals(other);

    public override int GetHashCode() => _kind switch
    {
        Kind.Number => _number.GetHashCode(),
        Kind.String => StringComparer.Ordinal.GetHashCode(_string!),
        _ => 0,
    };

    /// <summary>The id as it appears on the wire: <c>7</c>, <c>"abc"</c> or <c>null</c>.</summary>
    public override string ToString() => _kind switch
    {
        Kind.Number => _number.ToString(CultureInfo.InvariantCulture),
        Kind.String => JsonSerializer.Serialize(_string!, RpcJsonContext.Default.String),
        _ => "null",
    };

    internal void WriteTo(Utf8JsonWriter writer)
    {
        switch (_kind)
        {
            case Kind.Number:
                writer.WriteNumberValue(_number);
                break;
            case Kind.String:
                writer.WriteStringValue(_string);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    /// <summary>Reads an id token; false when the token cannot be an id (object, array, bool, fraction).</summary>
    internal static bool TryRead(ref Utf8JsonReader reader, out JsonRpcId id)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetInt64(out var number):
                id = new JsonRpcId(number);
                return true;
            case JsonTokenType.String:
                id = new JsonRpcId(reader.GetString()!);
                return true;
            case JsonTokenType.Null:
                id = Null;
                return true;
            default:
                id = Null;
                return false;
        }
    }
}
