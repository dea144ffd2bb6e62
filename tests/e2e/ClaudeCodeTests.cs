using AiSwitch.MockProvider;
using Xunit.Abstractions;

namespace AiSwitch.E2E.Tests;

/// <summary>Claude Code 2.1.197 in print mode against the mock, with the quiet settings from agent-clis.md.</summary>
public sealed class ClaudeCodeTests(ITestOutputHelper output)
{
    private const string Prefix = "/claude-e2e";

    [Fact]
    public async Task PrintModeReportsTheMockReplyAndTheExactUsageServed()
    {
        await using var mock = await MockProviderServer.StartAsync();
        using var cli = new AgentCli();
        var reply = new MockReply
        {
            Text = "Hello from the mock to Claude Code",
            Chunks = 4,
            Usage = new MockUsage { InputTokens = 17, OutputTokens = 9, CacheReadTokens = 4, CacheWriteTokens = 6, ReasoningTokens = 2 },
        };
        mock.SetDefault(reply, Prefix);

        var run = await cli.RunAsync("claude", ["-p", "say hi from e2e", "--output-format", "stream-json", "--verbose"], new Dictionary<string, string>
        {
            ["ANTHROPIC_BASE_URL"] = mock.UrlFor(Prefix),
            ["ANTHROPIC_API_KEY"] = "sk-ant-e2e-claude-4321",
            ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
            ["CLAUDE_CODE_MAX_RETRIES"] = "0",
        }, TimeSpan.FromSeconds(90));
        output.WriteLine($"claude: exit {run.ExitCode} in {run.Elapsed.TotalMilliseconds:F0} ms");

        Assert.True(run.ExitCode == 0, run.Describe());
        var result = Assert.Single(run.Events, e => e.GetProperty("type").GetString() == "result");
        Assert.False(result.GetProperty("is_error").GetBoolean(), run.Describe());
        Assert.Equal(reply.Text, result.GetProperty("result").GetString());

        var calls = mock.Requests.Where(r => r.Api == MockApi.AnthropicMessages).ToList();
        Assert.NotEmpty(calls);
        Assert.All(mock.Requests, r => Assert.Equal(Prefix, r.Prefix));
        Assert.Contains(mock.Requests, r => r.Api == MockApi.Head);
        Assert.All(calls, r => Assert.True(r.Streamed));
        Assert.All(calls, r => Assert.Equal("***4321", r.Headers["x-api-key"]));
        Assert.Equal("say hi from e2e", calls[^1].LastUserText);

        // result.usage is this turn, summed over its API calls.
        var served = calls.Select(r => r.Usage!).ToList();
        var usage = result.GetProperty("usage");
        output.WriteLine($"claude: {calls.Count} model call(s); result.usage {usage.GetRawText()[..Math.Min(200, usage.GetRawText().Length)]}");
        Assert.Equal(served.Sum(u => u.InputTokens), usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(served.Sum(u => u.BilledOutputTokens), usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(served.Sum(u => u.CacheReadTokens), usage.GetProperty("cache_read_input_tokens").GetInt32());
        Assert.Equal(served.Sum(u => u.CacheWriteTokens), usage.GetProperty("cache_creation_input_tokens").GetInt32());
    }
}
