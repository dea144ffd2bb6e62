using System.Text.Json;
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

        var (run, usage) = await this.RunAsync(mock, cli, "say hi from e2e");

        Assert.Equal(reply.Text, AgentMessages(run).Single());
        var call = Assert.Single(mock.Requests);
        Assert.Equal((MockApi.OpenAiResponses, Prefix, true), (call.Api, call.Prefix, call.Streamed));
        Assert.Equal("say hi from e2e", call.LastUserText);
        Assert.Equal("Bearer ***8765", call.Headers["authorization"]);
        AssertUsage(mock.Requests, usage);
        output.WriteLine($"codex: turn.completed.usage {usage.GetRawText()}");
    }

    [Fact]
    public async Task ExecCommandToolRunsAndTheThreadUsageSumsBothCalls()
    {
        await using var mock = await MockProviderServer.StartAsync();
        using var cli = new AgentCli();
        mock.Script(new MockReply { ToolCall = new MockToolCall { Name = "exec_command", ArgumentsJson = """{"cmd":"echo mock-tool-ran"}""" } }, Prefix);
        mock.Script(new MockReply { Text = "the tool ran", Usage = new MockUsage { InputTokens = 30, OutputTokens = 4, CacheReadTokens = 13 } }, Prefix);

        // The classic function tools (exec_command) come with this model name; the default model gets "code mode".
        var (run, usage) = await this.RunAsync(mock, cli, "USE_TOOL", "-m", "gpt-5.1-codex");

        var command = run.Events.Single(e => e.GetProperty("type").GetString() == "item.completed"
            && e.GetProperty("item").GetProperty("type").GetString() == "command_execution").GetProperty("item");
        Assert.Equal(("mock-tool-ran\n", 0), (command.GetProperty("aggregated_output").GetString(), command.GetProperty("exit_code").GetInt32()));
        Assert.Equal("the tool ran", AgentMessages(run).Single());
        Assert.Equal(2, mock.Requests.Count);
        Assert.Contains("mock-tool-ran", mock.Requests[1].Body, StringComparison.Ordinal);
        AssertUsage(mock.Requests, usage);
    }

    private static IEnumerable<string> AgentMessages(CliRun run) => run.Events
        .Where(e => e.GetProperty("type").GetString() == "item.completed" && e.GetProperty("item").GetProperty("type").GetString() == "agent_message")
        .Select(e => e.GetProperty("item").GetProperty("text").GetString()!);

    /// <summary>turn.completed.usage is cumulative for the thread; input includes cached tokens, output includes reasoning.</summary>
    private static void AssertUsage(IReadOnlyList<RecordedRequest> calls, JsonElement usage)
    {
        var served = calls.Select(r => r.Usage!).ToList();
        Assert.Equal(served.Sum(u => u.TotalInputTokens), usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(served.Sum(u => u.CacheReadTokens), usage.GetProperty("cached_input_tokens").GetInt32());
        Assert.Equal(served.Sum(u => u.CacheWriteTokens), usage.GetProperty("cache_write_input_tokens").GetInt32());
        Assert.Equal(served.Sum(u => u.BilledOutputTokens), usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(served.Sum(u => u.ReasoningTokens), usage.GetProperty("reasoning_output_tokens").GetInt32());
    }

    private async Task<(CliRun Run, JsonElement Usage)> RunAsync(MockProviderServer mock, AgentCli cli, string prompt, params string[] extra)
    {
        var provider = $"model_providers.mock={{name=\"mock\",base_url=\"{mock.UrlFor(Prefix)}/v1\",env_key=\"OPENAI_API_KEY\","
            + "wire_api=\"responses\",request_max_retries=0,stream_max_retries=0}";
        var run = await cli.RunAsync("codex",
            ["exec", "--json", "--skip-git-repo-check", "-c", provider, "-c", "model_provider=mock", "-c", "analytics.enabled=false",
             "--disable", "plugins", "--disable", "unbounded_connection_retries", .. extra, prompt],
            new Dictionary<string, string>
            {
                ["OPENAI_API_KEY"] = "sk-openai-e2e-codex-8765",
                ["CODEX_HOME"] = Directory.CreateDirectory(Path.Combine(cli.Home, ".codex")).FullName,
            },
            AgentCli.Timeout);
        output.WriteLine($"codex: {run.Timing}");

        Assert.True(run.ExitCode == 0, run.Describe());
        var usage = Assert.Single(run.Events, e => e.GetProperty("type").GetString() == "turn.completed").GetProperty("usage");
        return (run, usage);
    }
}
