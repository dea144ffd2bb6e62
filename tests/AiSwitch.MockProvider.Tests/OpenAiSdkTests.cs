// The Responses API is marked experimental in OpenAI 2.15; proving the mock against it is the point.
#pragma warning disable OPENAI001

using System.ClientModel;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Responses;

namespace AiSwitch.MockProvider.Tests;

/// <summary>The official OpenAI .NET SDK against the mock: Chat Completions and Responses, to the exact token.</summary>
public sealed class OpenAiSdkTests
{
    private static readonly MockUsage Usage = new() { InputTokens = 25, OutputTokens = 7, CacheReadTokens = 5, ReasoningTokens = 3 };

    private static OpenAIClientOptions Options(MockProviderServer mock, string prefix) => new()
    {
        Endpoint = new Uri(mock.UrlFor(prefix) + "/v1"),
        RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
    };

    private static ChatClient Chat(MockProviderServer mock, string prefix) =>
        new("gpt-mock", new ApiKeyCredential("sk-openai-test-1111"), Options(mock, prefix));

    private static ResponsesClient Responses(MockProviderServer mock) =>
        new OpenAIClient(new ApiKeyCredential("sk-openai-test-2222"), Options(mock, "/responses-sdk")).GetResponsesClient();

    [Fact]
    public async Task ChatCompletionReadsTheTextAndExactUsage()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Text = "chat via sdk", Usage = Usage }, "/chat-sdk");

        ChatCompletion completion = await Chat(mock, "/chat-sdk").CompleteChatAsync([new UserChatMessage("hi chat")]);

        Assert.Equal("chat via sdk", completion.Content[0].Text);
        Assert.Equal((30, 10, 40), (completion.Usage.InputTokenCount, completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount));
        Assert.Equal((5, 3), (completion.Usage.InputTokenDetails.CachedTokenCount, completion.Usage.OutputTokenDetails.ReasoningTokenCount));
        var recorded = Assert.Single(mock.Requests);
        Assert.Equal((MockApi.OpenAiChatCompletions, "/chat-sdk", "hi chat"), (recorded.Api, recorded.Prefix, recorded.LastUserText));
        Assert.Equal("Bearer ***1111", recorded.Headers["authorization"]);
    }

    [Fact]
    public async Task ChatCompletionStreamingReadsEveryDeltaAndTheUsageChunk()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Text = "streaming chat via sdk", Chunks = 4, Usage = Usage });

        var text = new List<string>();
        ChatTokenUsage? usage = null;
        await foreach (var update in Chat(mock, "").CompleteChatStreamingAsync([new UserChatMessage("stream chat")]))
        {
            text.AddRange(update.ContentUpdate.Select(part => part.Text));
            usage ??= update.Usage;
        }

        Assert.Equal("streaming chat via sdk", string.Concat(text));
        Assert.NotNull(usage);
        Assert.Equal((30, 10, 40, 5, 3), (usage.InputTokenCount, usage.OutputTokenCount, usage.TotalTokenCount,
            usage.InputTokenDetails.CachedTokenCount, usage.OutputTokenDetails.ReasoningTokenCount));
        Assert.True(Assert.Single(mock.Requests).Streamed);
    }

    [Fact]
    public async Task ResponsesCreateReadsTheOutputTextAndExactUsage()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Text = "responses via sdk", Usage = Usage });

        ResponseResult response = await Responses(mock).CreateResponseAsync("gpt-mock", "hi responses", previousResponseId: null);

        Assert.Equal("responses via sdk", response.GetOutputText());
        Assert.Equal((30, 10, 40), (response.Usage.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));
        Assert.Equal((5, 3), (response.Usage.InputTokenDetails.CachedTokenCount, response.Usage.OutputTokenDetails.ReasoningTokenCount));
        Assert.Equal(("/responses-sdk", "hi responses"), (mock.Requests[0].Prefix, mock.Requests[0].LastUserText));
    }

    [Fact]
    public async Task ResponsesStreamingReadsEveryDeltaAndTheCompletedResponse()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Text = "streamed responses via sdk", Chunks = 3, Usage = Usage });

        var text = new List<string>();
        ResponseResult? completed = null;
        await foreach (var update in await Responses(mock).CreateResponseStreamingAsync("gpt-mock", "stream responses", previousResponseId: null))
        {
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    text.Add(delta.Delta);
                    break;
                case StreamingResponseCompletedUpdate done:
                    completed = done.Response;
                    break;
            }
        }

        Assert.Equal(["streamed ", "responses", " via sdk"], text);
        Assert.NotNull(completed);
        Assert.Equal("streamed responses via sdk", completed.GetOutputText());
        Assert.Equal((30, 10, 40, 5, 3), (completed.Usage.InputTokenCount, completed.Usage.OutputTokenCount, completed.Usage.TotalTokenCount,
            completed.Usage.InputTokenDetails.CachedTokenCount, completed.Usage.OutputTokenDetails.ReasoningTokenCount));
    }
}
