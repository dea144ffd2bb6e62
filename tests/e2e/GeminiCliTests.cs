using System.Text.Json;
using AiSwitch.MockProvider;
using Xunit.Abstractions;

namespace AiSwitch.E2E.Tests;

/// <summary>Gemini CLI 0.61.0 headless (<c>-p … -o stream-json -m</c>) against the mock, with the quiet settings from agent-clis.md.</summary>
public sealed class GeminiCliTests(ITestOutputHelper output)
{
    private const string Prefix = "/gemini-e2e";
    private const string Model = "gemini-2.5-flash";

    private const string Settings = """
        { "security": { "auth": { "selectedType": "gemini-api-key" } },
          "privacy": { "usageStatisticsEnabled": false }, "telemetry": { "enabled": false },
          "general": { "enableAutoUpdate": false, "enableAutoUpdateNotification": false, "maxAttempts": 1 } }
        """;

    [Fact]
    public async Task HeadlessStreamJsonReportsTheMockReplyAndTheExactUsageServed()
    {
        await using var mock = await MockProviderServer.StartAsync();
        using var cli = new AgentCli();
        var reply = new MockReply
        {
            Text = "Hello from the mock to Gemini",
            Chunks = 3,
            Usage = new MockUsage { InputTokens = 22, OutputTokens = 8, CacheReadTokens = 6, ReasoningTokens = 4 },
        };
        mock.SetDefault(reply, Prefix);

        var (run, stats) = await this.RunAsync(mock, cli, "say hi from e2e");

        Assert.Equal(reply.Text, AssistantText(run));
        var call = Assert.Single(mock.Requests);
        Assert.Equal((MockApi.GeminiStreamGenerateContent, Prefix, Model, true), (call.Api, call.Prefix, call.Model, call.Streamed));
        Assert.Equal("say hi from e2e", call.LastUserText);
        Assert.Equal("***2468", call.Headers["x-goog-api-key"]);
        AssertUsage(mock.Requests, stats);
        output.WriteLine($"gemini: result.stats {stats.GetRawText()}");
    }

    [Fact]
    public async Task FunctionCallRunsTheShellToolAndStatsSumBothCalls()
    {
        await using var mock = await MockProviderServer.StartAsync();
        using var cli = new AgentCli();
        mock.Script(new MockReply
        {
            ToolCall = new MockToolCall { Name = "run_shell_command", ArgumentsJson = """{"command":"echo mock-tool-ran","description":"Print a marker"}""" },
        }, Prefix);
        mock.Script(new MockReply { Text = "the tool ran", Usage = new MockUsage { InputTokens = 40, OutputTokens = 3, CacheReadTokens = 12 } }, Prefix);

        // Headless mode registers the shell tool only with --yolo.
        var (run, stats) = await this.RunAsync(mock, cli, "USE_TOOL", "--yolo");

        var toolResult = Assert.Single(run.Events, e => e.GetProperty("type").GetString() == "tool_result");
        Assert.Equal(("success", "mock-tool-ran"), (toolResult.GetProperty("status").GetString(), toolResult.GetProperty("output").GetString()));
        Assert.Equal("the tool ran", AssistantText(run));
        Assert.Equal(2, mock.Requests.Count);
        Assert.Contains("functionResponse", mock.Requests[1].Body, StringComparison.Ordinal);
        AssertUsage(mock.Requests, stats);
    }

    private static string AssistantText(CliRun run) => string.Concat(run.Events
        .Where(e => e.GetProperty("type").GetString() == "message" && e.GetProperty("role").GetString() == "assistant")
        .Select(e => e.GetProperty("content").GetString()));

    /// <summary>result.stats (per run): input_tokens is the whole prompt (cached included), input the uncached part; total adds thoughts.</summary>
    private static void AssertUsage(IReadOnlyList<RecordedRequest> calls, JsonElement stats)
    {
        var served = calls.Select(r => r.Usage!).ToList();
        Assert.Equal(served.Sum(u => u.TotalInputTokens), stats.GetProperty("input_tokens").GetInt32());
        Assert.Equal(served.Sum(u => u.TotalInputTokens - u.CacheReadTokens), stats.GetProperty("input").GetInt32());
        Assert.Equal(served.Sum(u => u.CacheReadTokens), stats.GetProperty("cached").GetInt32());
        Assert.Equal(served.Sum(u => u.OutputTokens), stats.GetProperty("output_tokens").GetInt32());
        Assert.Equal(served.Sum(u => u.TotalTokens), stats.GetProperty("total_tokens").GetInt32());
    }

    private async Task<(CliRun Run, JsonElement Stats)> RunAsync(MockProviderServer mock, AgentCli cli, string prompt, params string[] extra)
    {
        var settings = Directory.CreateDirectory(Path.Combine(cli.Home, ".gemini")).FullName;
        await File.WriteAllTextAsync(Path.Combine(settings, "settings.json"), Settings);
        var run = await cli.RunAsync("gemini", ["-p", prompt, "-m", Model, "-o", "stream-json", .. extra], new Dictionary<string, string>
        {
            ["GOOGLE_GEMINI_BASE_URL"] = mock.UrlFor(Prefix),
            ["GEMINI_API_KEY"] = "AIza-e2e-gemini-2468",
            ["GEMINI_CLI_TRUST_WORKSPACE"] = "true",
            ["GEMINI_CLI_NO_RELAUNCH"] = "true",
        }, AgentCli.Timeout);
        output.WriteLine($"gemini: {run.Timing}");

        Assert.True(run.ExitCode == 0, run.Describe());
        var result = Assert.Single(run.Events, e => e.GetProperty("type").GetString() == "result");
        Assert.Equal("success", result.GetProperty("status").GetString());
        return (run, result.GetProperty("stats"));
    }
}
