using System.Text.Json.Nodes;

namespace AiSwitch.MockProvider;

/// <summary>OpenAI Responses and Chat Completions: JSON bodies and the SSE sequences Codex and the OpenAI SDK read.</summary>
internal static class OpenAiWire
{
    /// <summary>A fixed creation time keeps replies deterministic.</summary>
    private const long CreatedAt = 1_767_225_600;

    public static async Task StreamResponseAsync(ReplyChannel channel, ServedReply reply)
    {
        var sequence = 0;
        JsonObject Event(string type, JsonObject fields)
        {
            fields["type"] = type;
            fields["sequence_number"] = sequence++;
            return fields;
        }

        var messageId = $"msg_mock_{reply.Sequence}";
        await channel.StartSseAsync();
        await channel.EventAsync("response.created", Event("response.created", new JsonObject { ["response"] = Response(reply, "in_progress", new JsonArray(), null) }));
        await channel.EventAsync("response.in_progress", Event("response.in_progress", new JsonObject { ["response"] = Response(reply, "in_progress", new JsonArray(), null) }));
        await channel.OpenedAsync();

        var outputIndex = 0;
        if (reply.HasText)
        {
            await channel.EventAsync("response.output_item.added", Event("response.output_item.added", new JsonObject
            {
                ["output_index"] = outputIndex,
                ["item"] = MessageItem(messageId, "in_progress", new JsonArray()),
            }));
            await channel.EventAsync("response.content_part.added", Event("response.content_part.added", new JsonObject
            {
                ["item_id"] = messageId, ["output_index"] = outputIndex, ["content_index"] = 0, ["part"] = OutputText(""),
            }));
            foreach (var piece in reply.Pieces)
            {
                await channel.TextAsync("response.output_text.delta", Event("response.output_text.delta", new JsonObject
                {
                    ["item_id"] = messageId, ["output_index"] = outputIndex, ["content_index"] = 0, ["delta"] = piece, ["logprobs"] = new JsonArray(),
                }));
            }

            await channel.EventAsync("response.output_text.done", Event("response.output_text.done", new JsonObject
            {
                ["item_id"] = messageId, ["output_index"] = outputIndex, ["content_index"] = 0, ["text"] = reply.Text, ["logprobs"] = new JsonArray(),
            }));
            await channel.EventAsync("response.content_part.done", Event("response.content_part.done", new JsonObject
            {
                ["item_id"] = messageId, ["output_index"] = outputIndex, ["content_index"] = 0, ["part"] = OutputText(reply.Text),
            }));
            await channel.EventAsync("response.output_item.done", Event("response.output_item.done", new JsonObject
            {
                ["output_index"] = outputIndex,
                ["item"] = MessageItem(messageId, "completed", new JsonArray(OutputText(reply.Text))),
            }));
            outputIndex++;
        }

        await channel.TextDoneAsync();
        if (reply.ToolCall is not null)
        {
            var itemId = $"fc_mock_{reply.Sequence}";
            await channel.EventAsync("response.output_item.added", Event("response.output_item.added", new JsonObject
            {
                ["output_index"] = outputIndex, ["item"] = FunctionCallItem(reply, "", "in_progress"),
            }));
            var arguments = reply.ToolArgumentsJson();
            foreach (var part in ServedReply.Split(arguments, 2))
            {
                await channel.EventAsync("response.function_call_arguments.delta", Event("response.function_call_arguments.delta", new JsonObject
                {
                    ["item_id"] = itemId, ["output_index"] = outputIndex, ["delta"] = part,
                }));
            }

            await channel.EventAsync("response.function_call_arguments.done", Event("response.function_call_arguments.done", new JsonObject
            {
                ["item_id"] = itemId, ["output_index"] = outputIndex, ["arguments"] = arguments,
            }));
            await channel.EventAsync("response.output_item.done", Event("response.output_item.done", new JsonObject
            {
                ["output_index"] = outputIndex, ["item"] = FunctionCallItem(reply, arguments, "completed"),
            }));
        }

        await channel.EventAsync("response.completed", Event("response.completed", new JsonObject
        {
            ["response"] = Response(reply, "completed", Output(reply), ResponseUsage(reply.Usage)),
        }));
    }

    public static JsonObject ResponseJson(ServedReply reply) => Response(reply, "completed", Output(reply), ResponseUsage(reply.Usage));

    public static async Task StreamChatAsync(ReplyChannel channel, ServedReply reply, bool includeUsage)
    {
        JsonObject Chunk(JsonObject delta, string? finishReason) => ChatChunk(reply, new JsonArray(new JsonObject
        {
            ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finishReason,
        }), usage: null, includeUsage);

        await channel.StartSseAsync();
        await channel.EventAsync(null, Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "", ["refusal"] = null }, null));
        await channel.OpenedAsync();
        foreach (var piece in reply.Pieces)
        {
            await channel.TextAsync(null, Chunk(new JsonObject { ["content"] = piece }, null));
        }

        await channel.TextDoneAsync();
        if (reply.ToolCall is { } tool)
        {
            await channel.EventAsync(null, Chunk(new JsonObject
            {
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0, ["id"] = reply.ToolCallId, ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = tool.Name, ["arguments"] = "" },
                }),
            }, null));
            foreach (var part in ServedReply.Split(reply.ToolArgumentsJson(), 2))
            {
                await channel.EventAsync(null, Chunk(new JsonObject
                {
                    ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = 0, ["function"] = new JsonObject { ["arguments"] = part } }),
                }, null));
            }
        }

        await channel.EventAsync(null, Chunk(new JsonObject(), ChatFinishReason(reply)));
        if (includeUsage)
        {
            await channel.EventAsync(null, ChatChunk(reply, new JsonArray(), ChatUsage(reply.Usage), includeUsage: true));
        }

        await channel.DataAsync("[DONE]");
    }

    public static JsonObject ChatJson(ServedReply reply)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = reply.HasText ? reply.Text : null, ["refusal"] = null };
        if (reply.ToolCall is { } tool)
        {
            message["tool_calls"] = new JsonArray(new JsonObject
            {
                ["id"] = reply.ToolCallId, ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = tool.Name, ["arguments"] = reply.ToolArgumentsJson() },
            });
        }

        return new JsonObject
        {
            ["id"] = $"chatcmpl-mock-{reply.Sequence}",
            ["object"] = "chat.completion",
            ["created"] = CreatedAt,
            ["model"] = reply.Model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0, ["message"] = message, ["logprobs"] = null, ["finish_reason"] = ChatFinishReason(reply),
            }),
            ["usage"] = ChatUsage(reply.Usage),
            ["system_fingerprint"] = "mock",
        };
    }

    public static JsonObject Error(int status, string message) => new()
    {
        ["error"] = new JsonObject
        {
            ["message"] = message,
            ["type"] = status switch { 429 => "rate_limit_exceeded", 400 => "invalid_request_error", 404 => "not_found_error", _ => "server_error" },
            ["param"] = null,
            ["code"] = status == 429 ? "rate_limit_exceeded" : null,
        },
    };

    private static string ChatFinishReason(ServedReply reply) => reply.ToolCall is null ? "stop" : "tool_calls";

    private static JsonObject ChatChunk(ServedReply reply, JsonArray choices, JsonNode? usage, bool includeUsage)
    {
        var chunk = new JsonObject
        {
            ["id"] = $"chatcmpl-mock-{reply.Sequence}",
            ["object"] = "chat.completion.chunk",
            ["created"] = CreatedAt,
            ["model"] = reply.Model,
            ["system_fingerprint"] = "mock",
            ["choices"] = choices,
        };
        if (includeUsage)
        {
            chunk["usage"] = usage;
        }

        return chunk;
    }

    private static JsonObject ChatUsage(MockUsage usage) => new()
    {
        ["prompt_tokens"] = usage.TotalInputTokens,
        ["completion_tokens"] = usage.BilledOutputTokens,
        ["total_tokens"] = usage.TotalTokens,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = usage.CacheReadTokens, ["audio_tokens"] = 0 },
        ["completion_tokens_details"] = new JsonObject
        {
            ["reasoning_tokens"] = usage.ReasoningTokens, ["audio_tokens"] = 0,
            ["accepted_prediction_tokens"] = 0, ["rejected_prediction_tokens"] = 0,
        },
    };

    private static JsonObject ResponseUsage(MockUsage usage) => new()
    {
        ["input_tokens"] = usage.TotalInputTokens,
        ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = usage.CacheReadTokens, ["cache_write_tokens"] = usage.CacheWriteTokens },
        ["output_tokens"] = usage.BilledOutputTokens,
        ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = usage.ReasoningTokens },
        ["total_tokens"] = usage.TotalTokens,
    };

    private static JsonArray Output(ServedReply reply)
    {
        var output = new JsonArray();
        if (reply.HasText)
        {
            output.Add(MessageItem($"msg_mock_{reply.Sequence}", "completed", new JsonArray(OutputText(reply.Text))));
        }

        if (reply.ToolCall is not null)
        {
            output.Add(FunctionCallItem(reply, reply.ToolArgumentsJson(), "completed"));
        }

        return output;
    }

    private static JsonObject Response(ServedReply reply, string status, JsonArray output, JsonObject? usage) => new()
    {
        ["id"] = $"resp_mock_{reply.Sequence}",
        ["object"] = "response",
        ["created_at"] = CreatedAt,
        ["status"] = status,
        ["background"] = false,
        ["error"] = null,
        ["incomplete_details"] = null,
        ["instructions"] = null,
        ["max_output_tokens"] = null,
        ["model"] = reply.Model,
        ["output"] = output,
        ["parallel_tool_calls"] = false,
        ["previous_response_id"] = null,
        ["reasoning"] = new JsonObject { ["effort"] = null, ["summary"] = null },
        ["store"] = false,
        ["temperature"] = 1.0,
        ["text"] = new JsonObject { ["format"] = new JsonObject { ["type"] = "text" } },
        ["tool_choice"] = "auto",
        ["tools"] = new JsonArray(),
        ["top_p"] = 1.0,
        ["truncation"] = "disabled",
        ["usage"] = usage,
        ["metadata"] = new JsonObject(),
    };

    private static JsonObject MessageItem(string id, string status, JsonArray content) => new()
    {
        ["id"] = id, ["type"] = "message", ["status"] = status, ["role"] = "assistant", ["content"] = content,
    };

    private static JsonObject OutputText(string text) => new()
    {
        ["type"] = "output_text", ["text"] = text, ["annotations"] = new JsonArray(), ["logprobs"] = new JsonArray(),
    };

    private static JsonObject FunctionCallItem(ServedReply reply, string arguments, string status) => new()
    {
        ["id"] = $"fc_mock_{reply.Sequence}",
        ["type"] = "function_call",
        ["status"] = status,
        ["call_id"] = reply.ToolCallId,
        ["name"] = reply.ToolCall!.Name,
        ["arguments"] = arguments,
    };
}
