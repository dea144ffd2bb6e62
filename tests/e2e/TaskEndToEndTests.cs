using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Tasks;
using AiSwitch.Core.Usage;
using AiSwitch.MockProvider;
using Xunit.Abstractions;

namespace AiSwitch.E2E.Tests;

/// <summary>
/// The task engine over the real Claude Code and Codex CLIs against the mock provider: a parallel run, a chain that
/// carries A's output into B's request, a 429 retried by the engine, and a stalled provider timed out with the
/// fallback agent answering.
/// </summary>
public sealed class TaskEndToEndTests(ITestOutputHelper output)
{
    private const string PrefixA = "/tasks-a";
    private const string PrefixB = "/tasks-b";

    [Fact]
    public async Task A_parallel_run_on_claude_and_codex_gives_two_results_with_the_mocks_text_and_tokens()
    {
        await using var harness = await StartAsync();
        harness.Mock.SetDefault(new MockReply { Text = "parallel hello", Usage = new MockUsage { InputTokens = 21, OutputTokens = 9 } }, PrefixA);

        var results = await RunAsync(harness, new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "say hi" }], Agents = ["claude", "codex"], Mode = TaskMode.Parallel });

        Assert.Equal(["claude", "codex"], results.Select(r => r.Agent).Order());
        Assert.All(results, r =>
        {
            Assert.True(r.Success, r.Error);
            Assert.Equal("parallel hello", r.Output);
            Assert.Equal((21L, 9L), (r.InputTokens, r.OutputTokens));
        });
    }

    [Fact]
    public async Task A_chain_passes_claudes_output_into_codexs_request()
    {
        await using var harness = await StartAsync();
        harness.Mock.SetDefault(new MockReply { Text = "CHAIN-MARK-4242" }, PrefixA);
        harness.Mock.SetDefault(new MockReply { Text = "improved" }, PrefixB);
        harness.AddAgent("codex-b", AdapterNames.Codex, "codex", "mock-b", "gpt-5.1-codex");

        var results = await RunAsync(harness, new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "draft it" }], Agents = ["claude", "codex-b"], Mode = TaskMode.Chain });

        Assert.All(results, r => Assert.True(r.Success, r.Error));
        Assert.Contains(harness.Mock.Requests, r => r.Prefix == PrefixB && r.Body.Contains("CHAIN-MARK-4242", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_429_then_success_is_retried_by_the_engine()
    {
        await using var harness = await StartAsync();
        harness.Mock.Script(MockReply.RateLimited(1), PrefixA);
        harness.Mock.SetDefault(new MockReply { Text = "after the 429" }, PrefixA);
        var context = new VerboseLog();

        var result = Assert.Single(await RunAsync(harness, new InvokeTaskRequest
        {
            Tasks = [new TaskSpec { Prompt = "busy?" }], Agents = ["codex"], Retry = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(200),
        }, context));

        Assert.True(result.Success, result.Error);
        Assert.Equal(("after the 429", 2), (result.Output, result.Attempt));
        Assert.Contains(context.Lines, l => l.Contains("retry 1 of 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stalled_provider_times_out_and_the_fallback_agent_answers()
    {
        await using var harness = await StartAsync();
        harness.Mock.SetDefault(MockReply.Stall(), PrefixA);
        harness.Mock.SetDefault(new MockReply { Text = "fallback answer" }, PrefixB);
        harness.AddAgent("codex-b", AdapterNames.Codex, "codex", "mock-b", "gpt-5.1-codex");

        var result = Assert.Single(await RunAsync(harness, new InvokeTaskRequest
        {
            Tasks = [new TaskSpec { Prompt = "anyone?" }], Agents = ["claude"], Timeout = TimeSpan.FromSeconds(10), Fallback = ["codex-b"],
        }));

        Assert.Equal(("codex-b", TaskState.Completed, "fallback answer", 2), (result.Agent, result.Status, result.Output, result.Attempt));
    }

    /// <summary>
    /// Issue 11's acceptance: claude, codex and gemini run through AiSwitch against the mock with cache and reasoning
    /// tokens in its replies, then the CLIs' own logs are imported. The ledger's per-day totals equal the mock's log of
    /// what it served, in one meaning per field, and the imports add nothing: no call is counted twice.
    /// </summary>
    [Fact]
    public async Task Runs_of_claude_codex_and_gemini_then_imports_of_their_logs_count_each_served_call_once()
    {
        await using var harness = await StartAsync();
        harness.AddAgent("gemini", AdapterNames.Gemini, "gemini", "mock-a", "gemini-2.5-flash");
        harness.Mock.SetDefault(new MockReply
        {
            Text = "counted once", Usage = new MockUsage { InputTokens = 10, CacheReadTokens = 3, CacheWriteTokens = 4, OutputTokens = 3, ReasoningTokens = 2 },
        }, PrefixA);

        var results = await RunAsync(harness, new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "count me" }], Agents = ["claude", "codex", "gemini"], Mode = TaskMode.Parallel });
        var imports = new[] { UsageImportSource.Claude, UsageImportSource.Codex, UsageImportSource.Gemini }
            .Select(source => harness.Session.Usage.Import(new ImportUsageRequest { Source = source, Path = [harness.Root] })).ToList();

        Assert.All(results, r => Assert.True(r.Success, r.Error));
        var served = harness.Mock.Requests
            .Where(r => r.Usage is not null && r.Api is MockApi.AnthropicMessages or MockApi.OpenAiResponses or MockApi.GeminiStreamGenerateContent or MockApi.GeminiGenerateContent)
            .Select(r => r.Usage!).ToList();
        var ledger = new List<LedgerRecord>();
        TokenLedger.For(harness.Session).Scan(null, null, ledger.Add, null);
        foreach (var import in imports)
        {
            output.WriteLine($"import {import.Source}: {import.Files} files, added {import.Added}, skipped {import.Skipped}");
        }

        Assert.All(imports, i => Assert.True(i.Files > 0, $"no {i.Source} logs were found under {harness.Root}"));
        Assert.All(imports, i => Assert.Equal(0, i.Added));
        Assert.Contains(imports, i => i.Skipped > 0);
        var day = Assert.Single(ledger.GroupBy(r => r.Time.UtcDateTime.Date));
        Assert.Equal(
            (served.Sum(u => (long)u.TotalInputTokens), served.Sum(u => (long)u.BilledOutputTokens), served.Sum(u => (long)u.CacheReadTokens)),
            (day.Sum(r => r.InputTokens), day.Sum(r => r.OutputTokens), day.Sum(r => r.CacheReadTokens)));
    }

    private static async Task<AdapterHarness> StartAsync()
    {
        var harness = await AdapterHarness.StartAsync();
        harness.AddPreset("mock-a", PrefixA, "1111");
        harness.AddPreset("mock-b", PrefixB, "2222");
        harness.AddAgent("claude", AdapterNames.ClaudeCode, "claude", "mock-a");
        harness.AddAgent("codex", AdapterNames.Codex, "codex", "mock-a", "gpt-5.1-codex");
        return harness;
    }

    private async Task<List<TaskResult>> RunAsync(AdapterHarness harness, InvokeTaskRequest request, IOperationContext? context = null)
    {
        var results = new List<TaskResult>();
        using var deadline = new CancellationTokenSource(AgentCli.Timeout * 2);
        await foreach (var result in TaskOperations.For(harness.Session).InvokeAsync(request with { WorkingDirectory = harness.WorkingDirectory }, context ?? SilentOperationContext.Instance, deadline.Token))
        {
            output.WriteLine($"{result.TaskId} {result.Agent} {result.Status} attempt {result.Attempt} {result.DurationMs} ms in {result.InputTokens} out {result.OutputTokens}: {result.Output}{result.Error}");
            results.Add(result);
        }

        return results;
    }

    private sealed class VerboseLog : IOperationContext
    {
        public List<string> Lines { get; } = [];

        public void WriteVerbose(string message)
        {
            lock (Lines)
            {
                Lines.Add(message);
            }
        }

        public void WriteWarning(string message)
        {
        }

        public void WriteError(AiSwitchException error)
        {
        }

        public void WriteProgress(OperationProgress progress)
        {
        }

        public ValueTask<bool> ShouldProcessAsync(string target, string action, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);
    }
}
