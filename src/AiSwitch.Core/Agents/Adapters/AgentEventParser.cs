using System.Globalization;
using System.Text.Json;

namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// Reads an agent CLI's NDJSON stdout one line at a time and builds the normalized <see cref="TurnOutcome"/>.
/// Pure: no process, no clock, so the recorded streams in the tests drive it exactly as a live agent does.
/// Lines that are not the protocol are counted and the first is kept, so an agent that prints something else
/// (a wrong Command, a usage message, a crash banner) is reported with what it printed.
/// </summary>
internal abstract class AgentEventParser
{
    /// <summary>How many characters of an unexpected line an error message quotes.</summary>
    private const int QuoteLength = 200;

    /// <summary>Whether the final event arrived.</summary>
    public bool Completed { get; protected set; }

    public int ProtocolLines { get; private set; }

    public int NonProtocolLines { get; private set; }

    /// <summary>The first line that was not the protocol, cut to 200 characters.</summary>
    public string? FirstNonProtocolLine { get; private set; }

    /// <summary>The name of the final event, for messages ("result", "turn.completed").</summary>
    public abstract string FinalEventName { get; }

    public LineEffect Accept(string line)
    {
        var trimmed = line.AsSpan().Trim();
        if (trimmed.IsEmpty)
        {
            return new LineEffect(LineKind.Event);
        }

        var effect = trimmed[0] == '{' && TryParse(line, out var root) ? OnObject(root) : LineEffect.NotProtocol;
        if (effect.Kind == LineKind.NotProtocol)
        {
            NonProtocolLines++;
            FirstNonProtocolLine ??= trimmed.Length > QuoteLength ? string.Concat(trimmed[..QuoteLength], "…") : trimmed.ToString();
        }
        else
        {
            ProtocolLines++;
        }

        return effect;
    }

    /// <summary>The outcome so far: complete once <see cref="Completed"/>, else what arrived before the stream ended.</summary>
    public abstract TurnOutcome Outcome();

    /// <summary>Handles one JSON object; returns <see cref="LineEffect.NotProtocol"/> for an object that is not one of the agent's events.</summary>
    protected abstract LineEffect OnObject(JsonElement root);

    protected static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    protected static long Long(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt64(out var number)
            ? number
            : 0;

    protected static int? Int(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt32(out var number)
            ? number
            : null;

    /// <summary>
    /// A cost in US dollars as an agent wrote it: a JavaScript double such as 0.00018059999999999997, rounded to 10
    /// decimal places (a ten-thousandth of a cent per token is still exact), so it shows as the 0.0001806 it stands for.
    /// </summary>
    public static decimal? Cost(decimal? usd) => usd is { } value
        ? decimal.Parse(Math.Round(value, 10, MidpointRounding.AwayFromZero).ToString("0.##########", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
        : null;

    protected static decimal? Decimal(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetDecimal(out var number)
            ? number
            : null;

    protected static bool Bool(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    protected static JsonElement Obj(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : default;

    private static bool TryParse(string line, out JsonElement root)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            root = document.RootElement.Clone();
            return root.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            root = default;
            return false;
        }
    }
}
