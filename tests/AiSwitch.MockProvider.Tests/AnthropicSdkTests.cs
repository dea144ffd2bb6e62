using Anthropic;
using Anthropic.Models.Messages;

namespace AiSwitch.MockProvider.Tests;

/// <summary>The official Anthropic .NET SDK against the mock: it must parse what the mock sends, to the exact token.</summary>
public sealed class AnthropicSdkTests
{
    private static readonly MockUsage Usage = new() { InputTokens = 19, OutputTokens = 6, CacheReadTokens = 4, CacheWriteTokens = 8, ReasoningTokens = 2 };

    private static AnthropicClient Client(MockProviderServer mock, string prefix) => new()
    {
        ApiKey = "sk-ant-test-key-0000",
        BaseUrl = mock.UrlFor(prefix),
        MaxRetries = 0,
    };

    private static MessageCreateParams Params(string prompt) => new()
    {
        Model = "claude-mock-1",
        MaxTokens = 256,
        Messages = [new MessageParam(new UserMessageParam(new MessageContentParam(prompt, null)), null)],
    };

    [Fact]
    public async Task MessagesCreateReadsTheTextAndExactUsage()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Text = "sdk says hello", Usage = Usage }, "/anthropic-sdk");
        using var client = Client(mock, "/anthropic-sdk");

        var message = await client.Messages.Create(Params("hello sdk"));

        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.Equal("sdk says hello", text!.Text);
        Assert.Equal((19, 8, 8, 4), (message.Usage.InputTokens, message.Usage.OutputTokens, message.Usage.CacheCreationInputTokens, message.Usage.CacheReadInputTokens));
        var recorded = Assert.Single(mock.Requests);
        Assert.Equal(("/anthropic-sdk", "hello sdk", false, "claude-mock-1"), (recorded.Prefix, recorded.LastUserText, recorded.Streamed, recorded.Model));
        // SDK 13.12 sends the key as a bearer token; either way the recording keeps only its last 4 characters.
        Assert.Equal("Bearer ***0000", recorded.Headers["authorization"]);
    }

    [Fact]
    public async Task MessagesCreateStreamingReadsEveryDeltaAndTheFinalUsage()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Text = "streamed through the sdk", Chunks = 5, Usage = Usage });
        using var client = Client(mock, "");

        var text = new List<string>();
        long? inputTokens = null, outputTokens = null, cacheRead = null;
        await foreach (var streamEvent in client.Messages.CreateStreaming(Params("stream please")))
        {
            if (streamEvent.TryPickStart(out var start))
            {
                (inputTokens, cacheRead) = (start!.Message.Usage.InputTokens, start.Message.Usage.CacheReadInputTokens);
            }
            else if (streamEvent.TryPickContentBlockDelta(out var delta) && delta!.Delta.TryPickText(out var piece))
            {
                text.Add(piece!.Text);
            }
            else if (streamEvent.TryPickDelta(out var messageDelta))
            {
                outputTokens = messageDelta!.Usage.OutputTokens;
            }
        }

        Assert.Equal(5, text.Count);
        Assert.Equal("streamed through the sdk", string.Concat(text));
        Assert.Equal((19L, 8L, 4L), (inputTokens, outputTokens, cacheRead));
        Assert.True(Assert.Single(mock.Requests).Streamed);
    }
}
