using System.Text.Json.Nodes;

namespace AiSwitch.MockProvider;

/// <summary>Gemini generateContent / streamGenerateContent: the response chunks Gemini CLI reads.</summary>
internal static class GeminiWire
{
    /// <summary>SSE (<c>?alt=sse</c>): one <c>data:</c> chunk per text piece; the last carries finishReason and usageMetadata.</summary>
    public static async Task StreamAsync(ReplyChannel channel, ServedReply reply)
    {
        await channel.StartSseAsync();
        await channel.OpenedAsync();
        var pieces = reply.Pieces;
        for (var i = 0; i < pieces.Count - 1; i++)
        {
            await channel.TextAsync(null, Chunk(reply, new JsonArray(Text(pieces[i])), final: false));
        }

        var lastParts = new JsonArray();
        if (pieces.Count > 0)
        {
            lastParts.Add(Text(pieces[^1]));
        }

        if (reply.ToolCall is not null)
        {
            lastParts.Add(FunctionCall(reply));
        }

        var last = Chunk(reply, lastParts, final: true);
        if (pieces.Count > 0)
        {
            await channel.TextAsync(null, last);
            await channel.TextDoneAsync();
        }
        else
        {
            await channel.TextDoneAsync();
            await channel.EventAsync(null, last);
        }
    }

    public static JsonObject Json(ServedReply reply)
    {
        var parts = new JsonArray();
        if (reply.HasText)
        {
            parts.Add(Text(reply.Text));
        }

        if (reply.ToolCall is not null)
        {
            parts.Add(FunctionCall(reply));
        }

        return Chunk(reply, parts, final: true);
    }

    public static JsonObject Error(int status, string message) => new()
    {
        ["error"] = new JsonObject
        {
            ["code"] = status,
            ["message"] = message,
            ["status"] = status switch
            {
                429 => "RESOURCE_EXHAUSTED", 400 => "INVALID_ARGUMENT", 404 => "NOT_FOUND", 503 => "UNAVAILABLE", _ => "INTERNAL",
            },
        },
    };

    private static JsonObject Text(string text) => new() { ["text"] = text };

    private static JsonObject FunctionCall(ServedReply reply) => new()
    {
        ["functionCall"] = new JsonObject { ["id"] = reply.ToolCallId, ["name"] = reply.ToolCall!.Name, ["args"] = reply.ToolArguments() },
    };

    private static JsonObject Chunk(ServedReply reply, JsonArray parts, bool final)
    {
        var candidate = new JsonObject { ["content"] = new JsonObject { ["role"] = "model", ["parts"] = parts }, ["index"] = 0 };
        var chunk = new JsonObject { ["candidates"] = new JsonArray(candidate) };
        if (final)
        {
            candidate["finishReason"] = "STOP";
            chunk["usageMetadata"] = new JsonObject
            {
                ["promptTokenCount"] = reply.Usage.TotalInputTokens,
                ["candidatesTokenCount"] = reply.Usage.OutputTokens,
                ["totalTokenCount"] = reply.Usage.TotalTokens,
                ["cachedContentTokenCount"] = reply.Usage.CacheReadTokens,
                ["thoughtsTokenCount"] = reply.Usage.ReasoningTokens,
            };
        }

        chunk["modelVersion"] = reply.Model;
        chunk["responseId"] = $"mock-{reply.Sequence}";
        return chunk;
    }
}
