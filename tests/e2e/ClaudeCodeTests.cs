using System.Text.Json;
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

        var (run, result) = await this.RunAsync(mock, cli, "say hi from e2e");

        Assert.Equal(reply.Text, result.GetProperty("result").GetString());
        var calls = mock.Requests.Where(r => r.Api == MockApi.AnthropicMessages).ToList();
        Assert.NotEmpty(calls);
        Assert.All(mock.Requests, r => Assert.Equal(Prefix, r.Prefix));
        Assert.Contains(mock.Requests, r => r.Api == MockApi.Head);
        Assert.All(calls, r => Assert.True(r.Streamed));
        Assert.All(calls, r => Assert.Equal("***4321", r.Headers["x-api-key"]));
        Assert.Equal("say hi from e2e", calls[^1].LastUserText);
        AssertUsage(calls, result.GetProperty("usage"));
        output.WriteLine($"claude: {calls.Count} model call(s); result.usage {result.GetProperty("usage").GetRawText()}");
    }

    [Fact]
    public async Task ToolUseRunsTheCommandAndTheTurnSumsUsageOverBothCalls()
    {
        await using var mock = await MockProviderServer.StartAsync();
        using var cli = new AgentCli();
        mock.Script(new MockReply
        {
            ToolCall = new MockToolCall { Id = "toolu_mock_1", Name = "Bash", ArgumentsJson = """{"command":"echo mock-tool-ran","description":"Print a marker"}""" },
            Usage = new MockUsage { InputTokens = 11, OutputTokens = 7 },
        }, Prefix);
        mock.Script(new MockReply { Text = "the tool ran", Usage = new MockUsage { InputTokens = 13, OutputTokens = 5, CacheReadTokens = 11 } }, Prefix);

        var (run, result) = await this.RunAsync(mock, cli, "USE_TOOL");

        var toolResult = run.Events.Where(e => e.GetProperty("type").GetString() == "user")
            .SelectMany(e => e.GetProperty("message").GetProperty("content").EnumerateArray())
            .Single(c => c.GetProperty("type").GetString() == "tool_result");
        Assert.Equal("toolu_mock_1", toolResult.GetProperty("tool_use_id").GetString());
        Assert.Equal("mock-tool-ran", toolResult.GetProperty("content").GetString());
        Assert.Equal("the tool ran", result.GetProperty("result").GetString());
        Assert.Equal(2, result.GetProperty("num_turns").GetInt32());
        var calls = mock.Requests.Where(r => r.Api == MockApi.AnthropicMessages).ToList();
        Assert.Equal(2, calls.Count);
        Assert.Contains("mock-tool-ran", calls[1].Body, StringComparison.Ordinal);
        AssertUsage(calls, result.GetProperty("usage"));
    }

    /// <summary>result.usage is this turn, summed over its API calls.</summary>
    private static void AssertUsage(IReadOnlyList<RecordedRequest> calls, JsonElement usage)
    {
        var served = calls.Select(r => r.Usage!).ToList();
        Assert.Equal(served.Sum(u => u.InputTokens), usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(served.Sum(u => u.BilledOutputTokens), usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(served.Sum(u => u.CacheReadTokens), usage.GetProperty("cache_read_input_tokens").GetInt32());
        Assert.Equal(served.Sum(u => u.CacheWriteTokens), usage.GetProperty("cache_creation_input_tokens").GetInt32());
    }

    private async Task<(CliRun Run, JsonElement Result)> RunAsync(MockProviderServer mock, AgentCli cli, string prompt)
    {
        var run = await cli.RunAsync("claude", ["-p", prompt, "--output-format", "stream-json", "--verbose"], new Dictionary<string, string>
        {
            ["ANTHROPIC_BASE_URL"] = mock.UrlFor(Prefix),
            ["ANTHROPIC_API_KEY"] = "sk-ant-e2e-claude-4321",
            ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
            ["CLAUDE_CODE_MAX_RETRIES"] = "0",
        }, AgentCli.Timeout);
        output.WriteLine($"claude: {run.Timing}");

        Assert.True(run.ExitCode == 0, run.Describe());
        var result = Assert.Single(run.Events, e => e.GetProperty("type").GetString() == "result");
        Assert.False(result.GetProperty("is_error").GetBoolean(), run.Describe());
        return (run, result);
    }
}
