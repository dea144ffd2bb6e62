using System.Text.Json;

namespace AiSwitch.MockProvider.Tests;

public sealed class AnthropicWireTests
{
    private static readonly MockUsage Usage = new() { InputTokens = 21, OutputTokens = 8, CacheReadTokens = 5, CacheWriteTokens = 2, ReasoningTokens = 3 };

    private static string Body(bool stream, string prompt = "say hi") => JsonSerializer.Serialize(new
    {
        model = "claude-test-1",
        max_tokens = 100,
        stream,
        messages = new object[]
        {
            new { role = "user", content = "first question" },
            new { role = "assistant", content = "first answer" },
            new { role = "user", content = new object[] { new { type = "text", text = "<system-reminder>x</system-reminder>" }, new { type = "text", text = prompt } } },
        },
    });

    [Fact]
    public async Task StreamedReplyIsTheFullEventSequenceWithTextSplitIntoChunksAndUsageInStartAndDelta()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Text = "Hello there, world!", Chunks = 4, Usage = Usage });

        var events = await Sse.PostAndReadAsync(mock.BaseUrl + "/v1/messages?beta=true", Body(stream: true));

        Assert.Equal(
            ["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
             "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Name));
        Assert.All(events, e => Assert.Equal(e.Name, e.Type));

        var start = events[0].Json.GetProperty("message");
        Assert.Equal("claude-test-1", start.GetProperty("model").GetString());
        Assert.Equal("assistant", start.GetProperty("role").GetString());
        Assert.Equal(21, start.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(5, start.GetProperty("usage").GetProperty("cache_read_input_tokens").GetInt32());
        Assert.Equal(2, start.GetProperty("usage").GetProperty("cache_creation_input_tokens").GetInt32());

        var deltas = events.Where(e => e.Name == "content_block_delta").Select(e => e.Json.GetProperty("delta")).ToList();
        Assert.All(deltas, d => Assert.Equal("text_delta", d.GetProperty("type").GetString()));
        Assert.Equal("Hello there, world!", string.Concat(deltas.Select(d => d.GetProperty("text").GetString())));

        var delta = events[^2].Json;
        Assert.Equal("end_turn", delta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(11, delta.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task NonStreamedReplyIsOneMessageWithFullUsage()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Text = "plain answer", Usage = Usage });

        var message = await Sse.PostJsonAsync(mock.BaseUrl + "/v1/messages", Body(stream: false));

        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal("plain answer", message.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("end_turn", message.GetProperty("stop_reason").GetString());
        var usage = message.GetProperty("usage");
        Assert.Equal((21, 11, 5, 2), (usage.GetProperty("input_tokens").GetInt32(), usage.GetProperty("output_tokens").GetInt32(),
            usage.GetProperty("cache_read_input_tokens").GetInt32(), usage.GetProperty("cache_creation_input_tokens").GetInt32()));
    }

    [Fact]
    public async Task DefaultReplyEchoesTheLastUserTextWithTheRequestNumber()
    {
        await using var mock = await MockProviderServer.StartAsync();

        var message = await Sse.PostJsonAsync(mock.BaseUrl + "/v1/messages", Body(stream: false, prompt: "what is two plus two"));

        Assert.Equal("mock reply #1: what is two plus two", message.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(MockUsage.Default.InputTokens, message.GetProperty("usage").GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task ToolCallIsAToolUseBlockWithStreamedJsonInput()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { ToolCall = new MockToolCall { Name = "Bash", ArgumentsJson = """{"command":"echo mock-tool-ran","description":"run it"}""" } });

        var events = await Sse.PostAndReadAsync(mock.BaseUrl + "/v1/messages", Body(stream: true));

        var blockStart = Assert.Single(events, e => e.Name == "content_block_start").Json;
        Assert.Equal(0, blockStart.GetProperty("index").GetInt32());
        Assert.Equal("tool_use", blockStart.GetProperty("content_block").GetProperty("type").GetString());
        Assert.Equal("Bash", blockStart.GetProperty("content_block").GetProperty("name").GetString());
        var deltas = events.Where(e => e.Name == "content_block_delta").Select(e => e.Json.GetProperty("delta")).ToList();
        Assert.All(deltas, d => Assert.Equal("input_json_delta", d.GetProperty("type").GetString()));
        var json = string.Concat(deltas.Select(d => d.GetProperty("partial_json").GetString()));
        Assert.Equal("echo mock-tool-ran", JsonDocument.Parse(json).RootElement.GetProperty("command").GetString());
        Assert.Equal("tool_use", events.Single(e => e.Name == "message_delta").Json.GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task CountTokensAnswersWithoutTakingAScriptedReply()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Text = "kept for the real call" });

        var counted = await Sse.PostJsonAsync(mock.BaseUrl + "/v1/messages/count_tokens?beta=true", Body(stream: false));

        Assert.True(counted.GetProperty("input_tokens").GetInt32() > 0);
        Assert.Equal(1, mock.PendingScripts);
        Assert.Equal(MockApi.AnthropicCountTokens, Assert.Single(mock.Requests).Api);
    }

    [Fact]
    public async Task HeadOnAPrefixAnswers200AndIsRecordedWithThatPrefix()
    {
        await using var mock = await MockProviderServer.StartAsync();

        using var response = await Sse.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, mock.BaseUrl + "/sess-42/"));

        Assert.Equal(200, (int)response.StatusCode);
        var recorded = Assert.Single(mock.Requests);
        Assert.Equal((MockApi.Head, "/sess-42", "HEAD"), (recorded.Api, recorded.Prefix, recorded.Method));
    }
}
