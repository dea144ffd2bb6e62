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
        var settings = Directory.CreateDirectory(Path.Combine(cli.Home, ".gemini")).FullName;
        await File.WriteAllTextAsync(Path.Combine(settings, "settings.json"), Settings);

        var run = await cli.RunAsync("gemini", ["-p", "say hi from e2e", "-m", Model, "-o", "stream-json"], new Dictionary<string, string>
        {
            ["GOOGLE_GEMINI_BASE_URL"] = mock.UrlFor(Prefix),
            ["GEMINI_API_KEY"] = "AIza-e2e-gemini-2468",
            ["GEMINI_CLI_TRUST_WORKSPACE"] = "true",
            ["GEMINI_CLI_NO_RELAUNCH"] = "true",
        }, TimeSpan.FromSeconds(90));
        output.WriteLine($"gemini: exit {run.ExitCode} in {run.Elapsed.TotalMilliseconds:F0} ms");

        Assert.True(run.ExitCode == 0, run.Describe());
        var assistant = run.Events.Where(e => e.GetProperty("type").GetString() == "message" && e.GetProperty("role").GetString() == "assistant");
        Assert.Equal(reply.Text, string.Concat(assistant.Select(e => e.GetProperty("content").GetString())));

        var call = Assert.Single(mock.Requests);
        Assert.Equal((MockApi.GeminiStreamGenerateContent, Prefix, Model, true), (call.Api, call.Prefix, call.Model, call.Streamed));
        Assert.Equal("say hi from e2e", call.LastUserText);
        Assert.Equal("***2468", call.Headers["x-goog-api-key"]);

        // result.stats: input_tokens is the whole prompt (cached included), input the uncached part; total adds thoughts.
        var served = call.Usage!;
        var result = Assert.Single(run.Events, e => e.GetProperty("type").GetString() == "result");
        Assert.Equal("success", result.GetProperty("status").GetString());
        var stats = result.GetProperty("stats");
        output.WriteLine($"gemini: result.stats {stats.GetRawText()}");
        Assert.Equal(served.TotalInputTokens, stats.GetProperty("input_tokens").GetInt32());
        Assert.Equal(served.TotalInputTokens - served.CacheReadTokens, stats.GetProperty("input").GetInt32());
        Assert.Equal(served.CacheReadTokens, stats.GetProperty("cached").GetInt32());
        Assert.Equal(served.OutputTokens, stats.GetProperty("output_tokens").GetInt32());
        Assert.Equal(served.TotalTokens, stats.GetProperty("total_tokens").GetInt32());
    }
}
