using System.Text.Json.Nodes;

namespace AiSwitch.MockProvider;

/// <summary>Anthropic Messages API: the JSON message and the SSE sequence Claude Code and the Anthropic SDK read.</summary>
internal static class AnthropicWire
{
    public static async Task StreamAsync(ReplyChannel channel, ServedReply reply)
    {
        await channel.StartSseAsync();
        await channel.EventAsync("message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = Message(reply, new JsonArray(), stopReason: null, Usage(reply.Usage, outputTokens: 1)),
        });
        await channel.OpenedAsync();

        var index = 0;
        if (reply.HasText)
        {
            await channel.EventAsync("content_block_start", new JsonObject
            {
                ["type"] = "content_block_start", ["index"] = index, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" },
            });
            foreach (var piece in reply.Pieces)
            {
                await channel.TextAsync("content_block_delta", new JsonObject
                {
                    ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = piece },
                });
            }

            await channel.EventAsync("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index });
            index++;
        }

        await channel.TextDoneAsync();
        if (reply.ToolCall is { } tool)
        {
            await channel.EventAsync("content_block_start", new JsonObject
            {
                ["type"] = "content_block_start",
                ["index"] = index,
                ["content_block"] = new JsonObject { ["type"] = "tool_use", ["id"] = reply.ToolCallId, ["name"] = tool.Name, ["input"] = new JsonObject() },
            });
            foreach (var part in ServedReply.Split(reply.ToolArgumentsJson(), 2))
            {
                await channel.EventAsync("content_block_delta", new JsonObject
                {
                    ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = part },
                });
            }

            await channel.EventAsync("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index });
        }

        await channel.EventAsync("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = StopReason(reply), ["stop_sequence"] = null },
            ["usage"] = DeltaUsage(reply.Usage),
        });
        await channel.EventAsync("message_stop", new JsonObject { ["type"] = "message_stop" });
    }

    public static JsonObject Json(ServedReply reply)
    {
        var content = new JsonArray();
        if (reply.HasText)
        {
            content.Add(new JsonObject { ["type"] = "text", ["text"] = reply.Text });
        }

        if (reply.ToolCall is { } tool)
        {
            content.Add(new JsonObject { ["type"] = "tool_use", ["id"] = reply.ToolCallId, ["name"] = tool.Name, ["input"] = reply.ToolArguments() });
        }

        return Message(reply, content, StopReason(reply), Usage(reply.Usage, reply.Usage.BilledOutputTokens));
    }

    public static JsonObject CountTokens(int inputTokens) => new() { ["input_tokens"] = inputTokens };

    public static JsonObject Error(int status, string message) => new()
    {
        ["type"] = "error",
        ["error"] = new JsonObject
        {
            ["type"] = status switch { 429 => "rate_limit_error", 529 => "overloaded_error", 400 => "invalid_request_error", 404 => "not_found_error", _ => "api_error" },
            ["message"] = message,
        },
    };

    private static string StopReason(ServedReply reply) => reply.ToolCall is null ? "end_turn" : "tool_use";

    private static JsonObject Message(ServedReply reply, JsonArray content, string? stopReason, JsonObject usage) => new()
    {
        ["id"] = $"msg_mock_{reply.Sequence}",
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = reply.Model,
        ["content"] = content,
        ["stop_reason"] = stopReason,
        ["stop_sequence"] = null,
        ["usage"] = usage,
    };

    private static JsonObject Usage(MockUsage usage, int outputTokens) => new()
    {
        ["input_tokens"] = usage.InputTokens,
        ["cache_creation_input_tokens"] = usage.CacheWriteTokens,
        ["cache_read_input_tokens"] = usage.CacheReadTokens,
        ["cache_creation"] = new JsonObject
        {
            ["ephemeral_5m_input_tokens"] = usage.CacheWriteTokens - usage.CacheWrite1hTokens,
            ["ephemeral_1h_input_tokens"] = usage.CacheWrite1hTokens,
        },
        ["output_tokens"] = outputTokens,
        ["server_tool_use"] = null,
        ["service_tier"] = "standard",
    };

    /// <summary>message_delta carries the final output count (and, as the live API does, the input counts again).</summary>
    private static JsonObject DeltaUsage(MockUsage usage) => new()
    {
        ["input_tokens"] = usage.InputTokens,
        ["cache_creation_input_tokens"] = usage.CacheWriteTokens,
        ["cache_read_input_tokens"] = usage.CacheReadTokens,
        ["output_tokens"] = usage.BilledOutputTokens,
        ["server_tool_use"] = null,
    };
}
