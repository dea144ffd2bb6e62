using System.Diagnostics;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Core.Tests.Agents;
using AiSwitch.MockProvider;
using Xunit.Abstractions;

namespace AiSwitch.E2E.Tests;

/// <summary>
/// The CLI adapters through the session's agent registry, running the real Claude Code, Codex and Gemini CLIs against
/// the in-process mock provider: exact replies and token counts, environment switches between two presets (two mock
/// prefixes), the parent's secrets kept out, and cancellation that leaves no process behind.
/// </summary>
public sealed class AdapterEndToEndTests(ITestOutputHelper output)
{
    private const string PrefixA = "/preset-a";
    private const string PrefixB = "/preset-b";

    public static TheoryData<string, string, string> Agents => new()
    {
        { "claude", AdapterNames.ClaudeCode, "claude" },
        { "claude-live", ClaudeCodeSessionAdapter.AdapterName, "claude" },
        { "codex", AdapterNames.Codex, "codex" },
        { "gemini", AdapterNames.Gemini, "gemini" },
    };

    public static TheoryData<string, string, string> PerTaskAgents => new()
    {
        { "claude", AdapterNames.ClaudeCode, "claude" },
        { "codex", AdapterNames.Codex, "codex" },
        { "gemini", AdapterNames.Gemini, "gemini" },
    };

    [Theory]
    [MemberData(nameof(Agents))]
    public async Task EachAdapterReturnsTheMockReplyAndExactlyItsTokenCounts(string agent, string adapter, string bin)
    {
        await using var harness = await AdapterHarness.StartAsync();
        harness.AddPreset("mock-a", PrefixA, "1111");
        harness.AddAgent(agent, adapter, bin, "mock-a", ModelFor(adapter));
        var reply = new MockReply
        {
            Text = $"Hello from the mock to {agent}",
            Usage = new MockUsage { InputTokens = 21, OutputTokens = 9, CacheReadTokens = 5, CacheWriteTokens = 3, ReasoningTokens = 2 },
        };
        harness.Mock.SetDefault(reply, PrefixA);

        var result = await harness.RunAsync(agent, $"say hi to {agent}");

        output.WriteLine($"{agent}: {result.Duration.TotalMilliseconds:F0} ms, first token {result.TimeToFirstToken?.TotalMilliseconds:F0} ms, "
            + $"in {result.InputTokens} out {result.OutputTokens} cache r/w {result.CacheReadTokens}/{result.CacheWriteTokens} reasoning {result.ReasoningTokens} cost {result.CostUsd} ({result.CostSource})");
        Assert.True(result.Success, result.Error);
        Assert.Equal(reply.Text, result.Text);
        Assert.NotNull(result.AgentSessionId);
        Assert.NotNull(result.Pid);
        var calls = ModelCalls(harness.Mock);
        Assert.NotEmpty(calls);
        Assert.All(harness.Mock.Requests, r => Assert.Equal(PrefixA, r.Prefix));
        Assert.Equal($"say hi to {agent}", calls[^1].LastUserText);
        Assert.All(calls, r => Assert.EndsWith("***1111", KeyHeader(r), StringComparison.Ordinal));
        AssertExactUsage(adapter, calls.Select(c => c.Usage!).ToList(), result);
    }

    [Theory]
    [MemberData(nameof(Agents))]
    public async Task SwitchingTheAgentMovesItsNextRequestWhileTheRunningTaskFinishesOnTheOldPrefix(string agent, string adapter, string bin)
    {
        await using var harness = await AdapterHarness.StartAsync();
        harness.AddPreset("mock-a", PrefixA, "1111");
        harness.AddPreset("mock-b", PrefixB, "2222");
        harness.AddAgent(agent, adapter, bin, "mock-a", ModelFor(adapter), maxConcurrency: 2);
        harness.Mock.Script(new MockReply { Text = "slow answer from A", FirstByteDelayMs = 2500 }, PrefixA);
        harness.Mock.SetDefault(new MockReply { Text = "answer from B" }, PrefixB);

        var running = harness.RunAsync(agent, "first task");
        await harness.Mock.WaitForRequestAsync(IsModelCall).WaitAsync(AgentCli.Timeout);
        var switched = harness.SwitchAgent(agent, "mock-b");
        var next = await harness.RunAsync(agent, "second task");
        var first = await running;

        Assert.Equal("mock-b", switched.CurrentPreset);
        Assert.True(first.Success, first.Error);
        Assert.Equal("slow answer from A", first.Text);
        Assert.True(next.Success, next.Error);
        Assert.Equal("answer from B", next.Text);
        var calls = ModelCalls(harness.Mock);
        Assert.Equal(PrefixA, Assert.Single(calls, c => c.LastUserText == "first task").Prefix);
        var second = Assert.Single(calls, c => c.LastUserText == "second task");
        Assert.Equal(PrefixB, second.Prefix);
        Assert.EndsWith("***2222", KeyHeader(second), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PerTaskAgents))]
    public async Task ARateLimitedProviderGivesARetryableFailureAtOnce(string agent, string adapter, string bin)
    {
        await using var harness = await AdapterHarness.StartAsync();
        harness.AddPreset("mock-a", PrefixA, "1111");
        harness.AddAgent(agent, adapter, bin, "mock-a", ModelFor(adapter));
        harness.Mock.SetDefault(MockReply.RateLimited(30), PrefixA);

        var result = await harness.RunAsync(agent, "too many");

        output.WriteLine($"{agent}: {result.Duration.TotalMilliseconds:F0} ms, exit {result.ExitCode}: {result.Error}");
        Assert.False(result.Success);
        Assert.True(result.Retryable, result.Error);
        Assert.Single(ModelCalls(harness.Mock)); // the agent's own retries are off: the scheduler decides
        Assert.True(result.Duration < TimeSpan.FromSeconds(30), "the agent waited for retry-after");
    }

    [Fact]
    public async Task AVariableOfTheParentNeverReachesTheAgent()
    {
        await using var harness = await AdapterHarness.StartAsync();
        harness.AddPreset("mock-a", PrefixA, "1111");
        var dump = Path.Combine(harness.Root, "agent-env.txt");
        var script = Path.Combine(harness.Root, "env-agent");
        await File.WriteAllTextAsync(script, $"""
            #!/bin/sh
            env > '{dump}'
            echo '{"{"}"type":"thread.started","thread_id":"t-env"{"}"}'
            echo '{"{"}"type":"item.completed","item":{"{"}"type":"agent_message","text":"env dumped"{"}"}{"}"}'
            echo '{"{"}"type":"turn.completed","usage":{"{"}"input_tokens":1,"output_tokens":1{"}"}{"}"}'
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        harness.AddAgentCommand("env-codex", AdapterNames.Codex, script, "mock-a");

        var result = await harness.RunAsync("env-codex", "dump");

        Assert.True(result.Success, result.Error);
        var variables = File.ReadAllLines(dump).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        Assert.DoesNotContain(variables.Values, v => v.Contains(AdapterHarness.ParentSecret, StringComparison.Ordinal));
        Assert.Equal(AdapterHarness.Key("oai", "1111"), variables["OPENAI_API_KEY"]);
        Assert.Equal(harness.Mock.UrlFor(PrefixA) + "/v1", variables["OPENAI_BASE_URL"]);
        Assert.StartsWith(harness.Home.TmpDir, variables["CODEX_HOME"], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PerTaskAgents))]
    public async Task CancellationMidTaskLeavesNoProcessOfTheTree(string agent, string adapter, string bin)
    {
        await using var harness = await AdapterHarness.StartAsync();
        harness.AddPreset("mock-a", PrefixA, "1111");
        harness.AddAgent(agent, adapter, bin, "mock-a", ModelFor(adapter));
        harness.Mock.SetDefault(MockReply.Stall(), PrefixA);
        var observer = new PidObserver();
        using var cancel = new CancellationTokenSource();

        var run = harness.RunAsync(agent, "stall please", observer, cancel.Token);
        var pid = await observer.Started.Task.WaitAsync(AgentCli.Timeout);
        await harness.Mock.WaitForRequestAsync(IsModelCall).WaitAsync(AgentCli.Timeout);
        var tree = ProcessTree.WithDescendants(pid);
        var clock = Stopwatch.StartNew();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        // The tree being gone when the cancelled call returns is the point; the time is printed, never asserted (these
        // CLIs take 14–49 ms on a quiet machine).
        output.WriteLine($"{agent}: tree of {tree.Count} ({string.Join(", ", tree)}) gone {clock.ElapsedMilliseconds} ms after cancellation");
        Assert.All(tree, p => Assert.True(ProcessTree.IsGone(p), $"pid {p} of {agent}'s tree outlived the cancellation"));
    }

    [Fact]
    public async Task ALongLivedClaudeTurnIsInterruptedOnCancellationAndTheProcessServesTheNextTask()
    {
        await using var harness = await AdapterHarness.StartAsync();
        harness.AddPreset("mock-a", PrefixA, "1111");
        harness.AddAgent("claude-live", ClaudeCodeSessionAdapter.AdapterName, "claude", "mock-a");
        harness.Mock.Script(new MockReply { Text = "turn one", Usage = new MockUsage { InputTokens = 11, OutputTokens = 7 } }, PrefixA);
        harness.Mock.Script(MockReply.Stall(), PrefixA);
        harness.Mock.Script(new MockReply { Text = "turn three", Usage = new MockUsage { InputTokens = 13, OutputTokens = 5 } }, PrefixA);

        var one = await harness.RunAsync("claude-live", "one");
        using var cancel = new CancellationTokenSource();
        var stalled = harness.RunAsync("claude-live", "two", cancellationToken: cancel.Token);
        await harness.Mock.WaitForRequestAsync(r => IsModelCall(r) && r.LastUserText == "two").WaitAsync(AgentCli.Timeout);
        var clock = Stopwatch.StartNew();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stalled);
        var interruptedIn = clock.Elapsed;
        var three = await harness.RunAsync("claude-live", "three");

        output.WriteLine($"claude-live: turn one {one.Duration.TotalMilliseconds:F0} ms, interrupt {interruptedIn.TotalMilliseconds:F0} ms, turn three {three.Duration.TotalMilliseconds:F0} ms; costs {one.CostUsd} / {three.CostUsd}");
        // The cause, not the speed: the same process served turn three, so the interrupt was honoured, not a kill.
        Assert.Equal(("turn one", "turn three"), (one.Text, three.Text));
        Assert.Equal(one.Pid, three.Pid);
        Assert.Equal((11L, 7L), (one.InputTokens, one.OutputTokens));
        Assert.Equal((13L, 5L), (three.InputTokens, three.OutputTokens));
        // total_cost_usd is cumulative per process: each task reports its own growth, in the agent's own prices.
        Assert.Equal(CostSource.Agent, three.CostSource);
        Assert.True(one.CostUsd > 0 && three.CostUsd > 0 && three.CostUsd < one.CostUsd, $"costs {one.CostUsd} then {three.CostUsd}");

        var tree = ProcessTree.WithDescendants(three.Pid!.Value);
        await harness.Registry.StopAsync(new StopAgentRequest { Name = "claude-live" });
        Assert.All(tree, p => Assert.True(ProcessTree.IsGone(p), $"pid {p} outlived Stop"));
    }

    /// <summary>Without a model Gemini CLI adds a routing call; Codex's default model gets "code mode". The mock takes any name.</summary>
    private static string? ModelFor(string adapter) => adapter switch
    {
        AdapterNames.Gemini => "gemini-2.5-flash",
        AdapterNames.Codex => "gpt-5.1-codex",
        _ => null,
    };

    private static bool IsModelCall(RecordedRequest request) =>
        request.Api is MockApi.AnthropicMessages or MockApi.OpenAiResponses or MockApi.GeminiStreamGenerateContent or MockApi.GeminiGenerateContent;

    private static List<RecordedRequest> ModelCalls(MockProviderServer mock) => [.. mock.Requests.Where(IsModelCall)];

    private static string KeyHeader(RecordedRequest request) =>
        request.Headers.TryGetValue("x-api-key", out var anthropic) ? anthropic
        : request.Headers.TryGetValue("x-goog-api-key", out var gemini) ? gemini
        : request.Headers["authorization"];

    /// <summary>
    /// One meaning per field whatever the agent (docs/usage.md): input is every prompt token, cached or not; output every
    /// output token, reasoning included. Only what an agent does not report apart stays 0: Claude Code's reasoning (its
    /// output includes it) and Gemini CLI's cache writes.
    /// </summary>
    private static void AssertExactUsage(string adapter, IReadOnlyList<MockUsage> served, AgentRunResult result)
    {
        var expected = new TokenCounts(served.Sum(u => (long)u.TotalInputTokens), served.Sum(u => (long)u.BilledOutputTokens),
            served.Sum(u => (long)u.CacheReadTokens),
            adapter == AdapterNames.Gemini ? 0 : served.Sum(u => (long)u.CacheWriteTokens),
            adapter is AdapterNames.ClaudeCode or ClaudeCodeSessionAdapter.AdapterName ? 0 : served.Sum(u => (long)u.ReasoningTokens));
        Assert.Equal(expected, new TokenCounts(result.InputTokens, result.OutputTokens, result.CacheReadTokens, result.CacheWriteTokens, result.ReasoningTokens));
        if (adapter is AdapterNames.Codex or AdapterNames.Gemini)
        {
            Assert.Equal((null, CostSource.None), (result.CostUsd, result.CostSource));
        }
        else
        {
            Assert.Equal(CostSource.Agent, result.CostSource);
            Assert.True(result.CostUsd > 0, $"cost {result.CostUsd}");
        }
    }
}
