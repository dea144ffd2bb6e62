using System.Text.Json.Nodes;

namespace AiSwitch.MockProvider;

/// <summary>A scripted reply resolved against one request: the text, usage and tool call that go on the wire.</summary>
internal sealed class ServedReply
{
    private const int MaxEchoLength = 200;

    public required int Sequence { get; init; }

    public required string Model { get; init; }

    public required string Text { get; init; }

    public required MockUsage Usage { get; init; }

    public required MockToolCall? ToolCall { get; init; }

    /// <summary>The tool call id (scripted or made up).</summary>
    public required string ToolCallId { get; init; }

    public required IReadOnlyList<string> Pieces { get; init; }

    public required MockReply Script { get; init; }

    public bool HasText => this.Text.Length > 0;

    public static ServedReply Resolve(MockReply script, int sequence, RequestBody request)
    {
        var text = script.Text ?? DefaultText(script, sequence, request);
        return new ServedReply
        {
            Sequence = sequence,
            Model = request.Model.Length > 0 ? request.Model : "mock-model",
            Text = text,
            Usage = script.Usage ?? MockUsage.Default,
            ToolCall = script.ToolCall,
            ToolCallId = script.ToolCall?.Id is { Length: > 0 } id ? id : $"call_mock_{sequence}",
            Pieces = Split(text, Math.Max(1, script.Chunks)),
            Script = script,
        };
    }

    /// <summary>The tool arguments as a JSON object (an unparsable text becomes {"input": text}).</summary>
    public JsonNode ToolArguments()
    {
        try
        {
            return JsonNode.Parse(this.ToolCall?.ArgumentsJson is { Length: > 0 } json ? json : "{}") ?? new JsonObject();
        }
        catch (System.Text.Json.JsonException)
        {
            return new JsonObject { ["input"] = this.ToolCall!.ArgumentsJson };
        }
    }

    public string ToolArgumentsJson() => WireJson.Text(this.ToolArguments());

    /// <summary>Splits text into up to <paramref name="count"/> nearly equal pieces (never splitting a surrogate pair).</summary>
    internal static IReadOnlyList<string> Split(string text, int count)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var pieces = new List<string>();
        var size = (int)Math.Ceiling(text.Length / (double)count);
        for (var start = 0; start < text.Length;)
        {
            var end = Math.Min(text.Length, start + size);
            if (end < text.Length && char.IsHighSurrogate(text[end - 1]))
            {
                end++;
            }

            pieces.Add(text[start..end]);
            start = end;
        }

        return pieces;
    }

    private static string DefaultText(MockReply script, int sequence, RequestBody request)
    {
        if (script.ToolCall is not null)
        {
            return "";
        }

        if (request.JsonMode)
        {
            var sample = request.Schema is { } schema
                ? SchemaSample.Generate(schema)
                : new JsonObject { ["reply"] = Echo(sequence, request) };
            return WireJson.Text(sample);
        }

        return Echo(sequence, request);
    }

    private static string Echo(int sequence, RequestBody request)
    {
        var prompt = request.LastUserText.Trim();
        return $"mock reply #{sequence}: {(prompt.Length > MaxEchoLength ? prompt[..MaxEchoLength] : prompt)}";
    }
}
