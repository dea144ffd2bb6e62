using System.Text.Json;

namespace AiSwitch.MockProvider.Tests;

public sealed class OpenAiWireTests
{
    private static readonly MockUsage Usage = new() { InputTokens = 30, OutputTokens = 9, CacheReadTokens = 12, ReasoningTokens = 4 };

    private static string ResponsesBody(bool stream) => JsonSerializer.Serialize(new
    {
        model = "gpt-test",
        stream,
        input = new object[]
        {
            new { type = "message", role = "developer", content = new object[] { new { type = "input_text", text = "be brief" } } },
            new { type = "message", role = "user", content = new object[] { new { type = "input_text", text = "say hi" } } },
        },
    });

    private static string ChatBody(bool stream, bool includeUsage) => JsonSerializer.Serialize(new
    {
        model = "gpt-chat",
        stream,
        stream_options = includeUsage ? new { include_usage = true } : null,
        messages = new object[] { new { role = "system", content = "be brief" }, new { role = "user", content = "say hi" } },
    });

    [Fact]
    public async Task ResponsesStreamRunsFromCreatedToCompletedWithExactUsage()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Text = "abcdefghij", Chunks = 3, Usage = Usage });

        var events = await Sse.PostAndReadAsync(mock.BaseUrl + "/v1/responses", ResponsesBody(stream: true));

        var types = events.Select(e => e.Type).ToList();
        Assert.Equal("response.created", types[0]);
        Assert.Equal("response.completed", types[^1]);
        Assert.Equal(3, types.Count(t => t == "response.output_text.delta"));
        Assert.True(types.IndexOf("response.output_item.added") < types.IndexOf("response.output_text.delta"));
        Assert.True(types.LastIndexOf("response.output_text.delta") < types.IndexOf("response.output_item.done"));
        Assert.All(events, e => Assert.Equal(e.Name, e.Type));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Json.GetProperty("sequence_number").GetInt32()));
        Assert.Equal("abcdefghij", string.Concat(events.Where(e => e.Type == "response.output_text.delta").Select(e => e.Json.GetProperty("delta").GetString())));

        var completed = events[^1].Json.GetProperty("response");
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal("abcdefghij", completed.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        var usage = completed.GetProperty("usage");
        Assert.Equal(42, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(12, usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(13, usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(4, usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32());
        Assert.Equal(55, usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task ResponsesToolCallIsAFunctionCallItem()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { ToolCall = new MockToolCall { Name = "exec_command", ArgumentsJson = """{"cmd":"echo mock-tool-ran"}""", Id = "call_7" } });

        var events = await Sse.PostAndReadAsync(mock.BaseUrl + "/v1/responses", ResponsesBody(stream: true));

        Assert.DoesNotContain(events, e => e.Type == "response.output_text.delta");
        var item = events.Single(e => e.Type == "response.output_item.done").Json.GetProperty("item");
        Assert.Equal(("function_call", "exec_command", "call_7"), (item.GetProperty("type").GetString(), item.GetProperty("name").GetString(), item.GetProperty("call_id").GetString()));
        Assert.Equal("echo mock-tool-ran", JsonDocument.Parse(item.GetProperty("arguments").GetString()!).RootElement.GetProperty("cmd").GetString());
        Assert.Equal(item.GetProperty("arguments").GetString(),
            string.Concat(events.Where(e => e.Type == "response.function_call_arguments.delta").Select(e => e.Json.GetProperty("delta").GetString())));
    }

    [Fact]
    public async Task ResponsesWithoutStreamIsOneResponseObject()
    {
        await using var mock = await MockProviderServer.StartAsync();

        var response = await Sse.PostJsonAsync(mock.BaseUrl + "/v1/responses", ResponsesBody(stream: false));

        Assert.Equal("mock reply #1: say hi", response.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(MockUsage.Default.TotalTokens, response.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatStreamEndsWithAUsageChunkWhenAskedAndThenDone()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Text = "chat answer", Chunks = 2, Usage = Usage });

        var events = await Sse.PostAndReadAsync(mock.BaseUrl + "/openai/v1/chat/completions", ChatBody(stream: true, includeUsage: true));

        Assert.Equal("[DONE]", events[^1].Data);
        var chunks = events.SkipLast(1).Select(e => e.Json).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Equal("chat answer", string.Concat(chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Select(d => d.TryGetProperty("content", out var content) ? content.GetString() : "")));
        Assert.Equal("stop", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        var usage = chunks[^1].GetProperty("usage");
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal((42, 13, 55), (usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32()));
        Assert.Equal(12, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(4, usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32());
        Assert.Equal("/openai", Assert.Single(mock.Requests).Prefix);
    }

    [Fact]
    public async Task ChatStreamWithoutIncludeUsageHasNoUsageChunk()
    {
        await using var mock = await MockProviderServer.StartAsync();

        var events = await Sse.PostAndReadAsync(mock.BaseUrl + "/v1/chat/completions", ChatBody(stream: true, includeUsage: false));

        Assert.All(events.SkipLast(1), e => Assert.False(e.Json.TryGetProperty("usage", out _)));
        Assert.Equal("[DONE]", events[^1].Data);
    }

    [Fact]
    public async Task ChatJsonCarriesTheMessageToolCallAndUsage()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Usage = Usage, ToolCall = new MockToolCall { Name = "lookup", ArgumentsJson = """{"q":"x"}""" } });

        var completion = await Sse.PostJsonAsync(mock.BaseUrl + "/v1/chat/completions", ChatBody(stream: false, includeUsage: false));

        var choice = completion.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var call = choice.GetProperty("message").GetProperty("tool_calls")[0];
        Assert.Equal(("lookup", """{"q":"x"}"""), (call.GetProperty("function").GetProperty("name").GetString(), call.GetProperty("function").GetProperty("arguments").GetString()));
        Assert.Equal(13, completion.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task JsonSchemaFormatsGetAFittingObject()
    {
        await using var mock = await MockProviderServer.StartAsync();
        var body = JsonSerializer.Serialize(new
        {
            model = "gpt-chat",
            messages = new object[] { new { role = "user", content = "classify" } },
            response_format = new
            {
                type = "json_schema",
                json_schema = new { name = "c", schema = new { type = "object", properties = new { label = new { type = "string", @enum = new[] { "bug", "feature" } }, score = new { type = "number" } } } },
            },
        });

        var completion = await Sse.PostJsonAsync(mock.BaseUrl + "/v1/chat/completions", body);

        var content = JsonDocument.Parse(completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!).RootElement;
        Assert.Equal("bug", content.GetProperty("label").GetString());
        Assert.Equal(JsonValueKind.Number, content.GetProperty("score").ValueKind);
        Assert.True(Assert.Single(mock.Requests).JsonMode);
    }

    [Fact]
    public async Task ResponsesTextFormatJsonSchemaGetsAFittingObject()
    {
        await using var mock = await MockProviderServer.StartAsync();
        var body = """
            {"model":"gpt-test","input":"plan it","text":{"format":{"type":"json_schema","name":"plan","schema":
              {"type":"object","properties":{"steps":{"type":"array","items":{"type":"string"},"minItems":2},"done":{"type":"boolean"}},
               "required":["steps","done"],"additionalProperties":false}}}}
            """;

        var response = await Sse.PostJsonAsync(mock.BaseUrl + "/v1/responses", body);

        var text = response.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString()!;
        Assert.Equal("""{"steps":["mock","mock"],"done":true}""", text);
        Assert.Equal("plan it", Assert.Single(mock.Requests).LastUserText);
    }
}
