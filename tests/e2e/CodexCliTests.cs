using AiSwitch.MockProvider;
using Xunit.Abstractions;

namespace AiSwitch.E2E.Tests;

/// <summary>Codex 0.169.0 <c>exec --json</c> against the mock through a custom model provider, with the quiet settings from agent-clis.md.</summary>
public sealed class CodexCliTests(ITestOutputHelper output)
{
    private const string Prefix = "/codex-e2e";

    [Fact]
    public async Task ExecReportsTheMockReplyAndTheExactUsageServed()
    {
        await using var mock = await MockProviderServer.StartAsync();
        using var cli = new AgentCli();
        var reply = new MockReply
        {
            Text = "Hello from the mock to Codex",
            Chunks = 3,
            Usage = new MockUsage { InputTokens = 20, OutputTokens = 7, CacheReadTokens = 5, CacheWriteTokens = 2, ReasoningTokens = 3 },
        };
        mock.SetDefault(reply, Prefix);
        var provider = $"model_providers.mock={{name=\"mock\",base_url=\"{mock.UrlFor(Prefix)}/v1\",env_key=\"OPENAI_API_KEY\","
            + "wire_api=\"responses\",request_max_retries=0,stream_max_retries=0}";

        var run = await cli.RunAsync("codex",
            ["exec", "--json", "--skip-git-repo-check", "-c", provider, "-c", "model_provider=mock", "-c", "analytics.enabled=false",
             "--disable", "plugins", "--disable", "unbounded_connection_retries", "say hi from e2e"],
            new Dictionary<string, string>
            {
                ["OPENAI_API_KEY"] = "sk-openai-e2e-codex-8765",
                ["CODEX_HOME"] = Directory.CreateDirectory(Path.Combine(cli.Home, ".codex")).FullName,
            },
            TimeSpan.FromSeconds(90));
        output.WriteLine($"codex: exit {run.ExitCode} in {run.Elapsed.TotalMilliseconds:F0} ms");

        Assert.True(run.ExitCode == 0, run.Describe());
        var message = Assert.Single(run.Events, e => e.GetProperty("type").GetString() == "item.completed"
            && e.GetProperty("item").GetProperty("type").GetString() == "agent_message");
        Assert.Equal(reply.Text, message.GetProperty("item").GetProperty("text").GetString());

        var call = Assert.Single(mock.Requests);
        Assert.Equal((MockApi.OpenAiResponses, Prefix, true), (call.Api, call.Prefix, call.Streamed));
        Assert.Equal("say hi from e2e", call.LastUserText);
        Assert.Equal("Bearer ***8765", call.Headers["authorization"]);

        // turn.completed.usage: input includes cached tokens; output includes reasoning.
        var served = call.Usage!;
        var usage = Assert.Single(run.Events, e => e.GetProperty("type").GetString() == "turn.completed").GetProperty("usage");
        output.WriteLine($"codex: turn.completed.usage {usage.GetRawText()}");
        Assert.Equal(served.TotalInputTokens, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(served.CacheReadTokens, usage.GetProperty("cached_input_tokens").GetInt32());
        Assert.Equal(served.CacheWriteTokens, usage.GetProperty("cache_write_input_tokens").GetInt32());
        Assert.Equal(served.BilledOutputTokens, usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(served.ReasoningTokens, usage.GetProperty("reasoning_output_tokens").GetInt32());
    }
}
