using System.Text.Json;

namespace AiSwitch.MockProvider.Tests;

public sealed class GeminiWireTests
{
    private static readonly MockUsage Usage = new() { InputTokens = 14, OutputTokens = 6, CacheReadTokens = 3, ReasoningTokens = 5 };

    private static string Body(object? generationConfig = null) => JsonSerializer.Serialize(new
    {
        contents = new object[]
        {
            new { role = "user", parts = new object[] { new { text = "context" } } },
            new { role = "model", parts = new object[] { new { text = "ok" } } },
            new { role = "user", parts = new object[] { new { text = "say hi" } } },
        },
        generationConfig = generationConfig ?? new { temperature = 0 },
    });

    [Fact]
    public async Task StreamGenerateContentSendsTextChunksAndFinishesWithUsageMetadata()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Text = "one two three", Chunks = 3, Usage = Usage });

        var events = await Sse.PostAndReadAsync(mock.BaseUrl + "/sess-7/v1beta/models/gemini-test:streamGenerateContent?alt=sse", Body());

        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Null(e.Name));
        var candidates = events.Select(e => e.Json.GetProperty("candidates")[0]).ToList();
        Assert.Equal("one two three", string.Concat(candidates.Select(c => c.GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString())));
        Assert.All(candidates, c => Assert.Equal("model", c.GetProperty("content").GetProperty("role").GetString()));
        Assert.Equal("STOP", candidates[^1].GetProperty("finishReason").GetString());
        var usage = events[^1].Json.GetProperty("usageMetadata");
        Assert.Equal(17, usage.GetProperty("promptTokenCount").GetInt32());
        Assert.Equal(6, usage.GetProperty("candidatesTokenCount").GetInt32());
        Assert.Equal(3, usage.GetProperty("cachedContentTokenCount").GetInt32());
        Assert.Equal(5, usage.GetProperty("thoughtsTokenCount").GetInt32());
        Assert.Equal(28, usage.GetProperty("totalTokenCount").GetInt32());

        var recorded = Assert.Single(mock.Requests);
        Assert.Equal((MockApi.GeminiStreamGenerateContent, "/sess-7", "gemini-test", "say hi", true),
            (recorded.Api, recorded.Prefix, recorded.Model, recorded.LastUserText, recorded.Streamed));
    }

    [Fact]
    public async Task GenerateContentAnswersOneResponseWithAFunctionCall()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Text = "running it", ToolCall = new MockToolCall { Name = "run_shell_command", ArgumentsJson = """{"command":"echo hi"}""" } });

        var response = await Sse.PostJsonAsync(mock.BaseUrl + "/v1beta/models/gemini-test:generateContent", Body());

        var parts = response.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts");
        Assert.Equal("running it", parts[0].GetProperty("text").GetString());
        var call = parts[1].GetProperty("functionCall");
        Assert.Equal(("run_shell_command", "echo hi"), (call.GetProperty("name").GetString(), call.GetProperty("args").GetProperty("command").GetString()));
    }

    [Fact]
    public async Task JsonModeWithResponseJsonSchemaAnswersTheRouterShape()
    {
        await using var mock = await MockProviderServer.StartAsync();
        var config = new
        {
            responseMimeType = "application/json",
            responseJsonSchema = new
            {
                type = "object",
                properties = new { complexity_reasoning = new { type = "string" }, complexity_score = new { type = "integer", minimum = 1, maximum = 100 } },
                required = new[] { "complexity_reasoning", "complexity_score" },
            },
        };

        var response = await Sse.PostJsonAsync(mock.BaseUrl + "/v1beta/models/gemini-lite:generateContent", Body(config));

        var text = response.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString()!;
        var answer = JsonDocument.Parse(text).RootElement;
        Assert.Equal(JsonValueKind.String, answer.GetProperty("complexity_reasoning").ValueKind);
        Assert.Equal(1, answer.GetProperty("complexity_score").GetInt32());
    }

    [Fact]
    public async Task JsonModeWithOpenApiResponseSchemaFitsNestedTypesAndEnums()
    {
        await using var mock = await MockProviderServer.StartAsync();
        var config = JsonDocument.Parse("""
            { "responseMimeType": "application/json",
              "responseSchema": { "type": "OBJECT", "properties": {
                  "name": { "type": "STRING" },
                  "kind": { "type": "STRING", "enum": ["alpha", "beta"] },
                  "count": { "type": "INTEGER" },
                  "ratio": { "type": "NUMBER" },
                  "done": { "type": "BOOLEAN" },
                  "items": { "type": "ARRAY", "minItems": "2", "items": { "type": "OBJECT", "properties": { "id": { "type": "INTEGER" } } } },
                  "owner": { "type": "OBJECT", "properties": { "email": { "type": "STRING", "format": "email" } } } } } }
            """).RootElement;

        var events = await Sse.PostAndReadAsync(mock.BaseUrl + "/v1beta/models/gemini-test:streamGenerateContent?alt=sse", Body(config));

        var text = string.Concat(events.Select(e => e.Json.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString()));
        var answer = JsonDocument.Parse(text).RootElement;
        Assert.Equal(JsonValueKind.String, answer.GetProperty("name").ValueKind);
        Assert.Equal("alpha", answer.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Number, answer.GetProperty("count").ValueKind);
        Assert.Equal(JsonValueKind.Number, answer.GetProperty("ratio").ValueKind);
        Assert.Equal(JsonValueKind.True, answer.GetProperty("done").ValueKind);
        Assert.Equal(2, answer.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, answer.GetProperty("items")[1].GetProperty("id").ValueKind);
        Assert.Equal("mock@example.invalid", answer.GetProperty("owner").GetProperty("email").GetString());
    }
}
