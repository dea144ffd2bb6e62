using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Protocol;
using AiSwitch.Core.Tests.Support;
using AiSwitch.MockProvider;

namespace AiSwitch.Core.Tests.Agents.Adapters;

/// <summary>The anthropic adapter against the in-process mock provider.</summary>
public sealed class AnthropicAgentAdapterTests : HttpAgentAdapterTests
{
    private protected override HttpAgentAdapter Adapter { get; } = new AnthropicAgentAdapter();

    protected override string BaseUrlVariable => AnthropicAgentAdapter.BaseUrlName;

    protected override string KeyVariable => AnthropicAgentAdapter.ApiKeyName;

    protected override string ModelVariable => AnthropicAgentAdapter.ModelName;

    protected override MockApi Api => MockApi.AnthropicMessages;

    protected override string BaseUrl(MockProviderServer mock, string prefix) => mock.UrlFor(prefix);

    // The Messages API counts cache reads and writes apart from input_tokens; the adapter adds them back. Thinking is
    // inside output_tokens and not itemised by the mock.
    protected override (long Input, long Output, long CacheRead, long CacheWrite, long Reasoning) Expected(MockUsage usage) =>
        (usage.TotalInputTokens, usage.BilledOutputTokens, usage.CacheReadTokens, usage.CacheWriteTokens, 0);

    /// <summary>
    /// The Messages API reports the input (and cache) tokens in message_start, before any text: a call cancelled after
    /// that was billed for them, so its partial result carries them to the ledger (as a cancelled record).
    /// </summary>
    [Fact]
    public async Task ACancelledCallKeepsTheInputTheProviderReportedAtTheStart()
    {
        await using var mock = await MockProviderServer.StartAsync();
        var usage = new MockUsage { InputTokens = 40, CacheReadTokens = 300, CacheWriteTokens = 20, OutputTokens = 9 };
        mock.Script(MockReply.Stall(afterChunks: 1) with { Text = "first then nothing", Chunks = 3, Usage = usage });
        var observer = new RecordingObserver();
        using var cancellation = new CancellationTokenSource();

        var run = Adapter.RunAsync(Invocation(Environment(mock, "")), observer, cancellation.Token);
        await observer.FirstToken.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        var stopped = await Assert.ThrowsAsync<RunCancelledException>(() => run.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal((360L, 300L, 20L, 1L), (stopped.Partial.InputTokens, stopped.Partial.CacheReadTokens, stopped.Partial.CacheWriteTokens, stopped.Partial.OutputTokens));
        Assert.Equal("mock-model-1", stopped.Partial.Model);
        Assert.False(stopped.Partial.Success);
    }

    [Fact]
    public async Task OneHourCacheWritesAreKeptApartAsPartOfTheCacheWrites()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Usage = new MockUsage { InputTokens = 10, OutputTokens = 5, CacheWriteTokens = 7, CacheWrite1hTokens = 4 } }, "/1h");

        var result = await Adapter.RunAsync(Invocation(Environment(mock, "/1h")), NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.True(result.Success, result.Error);
        Assert.Equal((17L, 7L, 4L), (result.InputTokens, result.CacheWriteTokens, result.CacheWrite1hTokens));
    }

    [Fact]
    public async Task AnAuthTokenIsSentAsABearerTokenAndNoApiKeyHeaderGoesOut()
    {
        await using var mock = await MockProviderServer.StartAsync();
        var environment = Environment(mock, "/bearer");
        environment.Remove(AnthropicAgentAdapter.ApiKeyName);
        environment[AnthropicAgentAdapter.AuthTokenName] = "token-for-bearer-9876";

        var result = await Adapter.RunAsync(Invocation(environment), NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.True(result.Success, result.Error);
        var recorded = Assert.Single(mock.Requests);
        Assert.Equal("Bearer ***9876", recorded.Headers["authorization"]);
        Assert.False(recorded.Headers.ContainsKey("x-api-key"));
    }
}

/// <summary>The openai adapter against the in-process mock provider.</summary>
public sealed class OpenAiAgentAdapterTests : HttpAgentAdapterTests
{
    private protected override HttpAgentAdapter Adapter { get; } = new OpenAiAgentAdapter();

    protected override string BaseUrlVariable => OpenAiAgentAdapter.BaseUrlName;

    protected override string KeyVariable => OpenAiAgentAdapter.ApiKeyName;

    protected override string ModelVariable => OpenAiAgentAdapter.ModelName;

    protected override MockApi Api => MockApi.OpenAiChatCompletions;

    protected override string BaseUrl(MockProviderServer mock, string prefix) => mock.UrlFor(prefix) + "/v1";

    // Chat Completions counts cached prompt tokens inside prompt_tokens and reasoning inside completion_tokens; it has no
    // cache-write figure.
    protected override (long Input, long Output, long CacheRead, long CacheWrite, long Reasoning) Expected(MockUsage usage) =>
        (usage.TotalInputTokens, usage.BilledOutputTokens, usage.CacheReadTokens, 0, usage.ReasoningTokens);

    [Fact]
    public async Task TheSystemPromptMaxTokensAndTemperatureGoOnTheWire()
    {
        await using var mock = await MockProviderServer.StartAsync();
        var task = new AgentTask { Id = "t-system", Prompt = "hello", SystemPrompt = "be brief", MaxTokens = 77, Temperature = 0.25 };

        var result = await Adapter.RunAsync(Invocation(Environment(mock, "/opts"), task), NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.True(result.Success, result.Error);
        var body = Assert.Single(mock.Requests).Body;
        Assert.Contains("be brief", body, StringComparison.Ordinal);
        Assert.Contains("77", body, StringComparison.Ordinal);
        Assert.Contains("0.25", body, StringComparison.Ordinal);
    }
}

/// <summary>
/// What both HTTP adapters must do against the mock: the reply and its exact tokens, the first token timed, failures
/// marked retryable or not, cancellation within a second, the base URL taken from the preset's variables, and the key
/// never in an error.
/// </summary>
public abstract class HttpAgentAdapterTests : IDisposable
{
    private const string Key = "sk-test-secret-key-4242";
    private static readonly MockUsage Usage = new() { InputTokens = 19, OutputTokens = 6, CacheReadTokens = 4, CacheWriteTokens = 8, ReasoningTokens = 2 };
    private readonly TempHome _home = new();

    private protected abstract HttpAgentAdapter Adapter { get; }

    protected abstract string BaseUrlVariable { get; }

    protected abstract string KeyVariable { get; }

    protected abstract string ModelVariable { get; }

    protected abstract MockApi Api { get; }

    protected abstract string BaseUrl(MockProviderServer mock, string prefix);

    protected abstract (long Input, long Output, long CacheRead, long CacheWrite, long Reasoning) Expected(MockUsage usage);

    public void Dispose()
    {
        _home.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task ReturnsTheMocksReplyAndExactlyItsTokens()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Text = "the mock says hi", Usage = Usage }, "/exact");

        var result = await Adapter.RunAsync(Invocation(Environment(mock, "/exact")), NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.True(result.Success, result.Error);
        Assert.Equal("the mock says hi", result.Text);
        Assert.Equal(Expected(Usage), (result.InputTokens, result.OutputTokens, result.CacheReadTokens, result.CacheWriteTokens, result.ReasoningTokens));
        Assert.Equal("mock-model-1", result.Model);
        Assert.False(string.IsNullOrEmpty(result.AgentSessionId));
        var recorded = Assert.Single(mock.Requests);
        Assert.Equal((Api, "/exact", "write a haiku", "mock-model-1", true), (recorded.Api, recorded.Prefix, recorded.LastUserText, recorded.Model, recorded.Streamed));
    }

    /// <summary>Issue 11's worked example (docs/usage.md): 10 uncached + 3 cache-read input, 5 output of which 2 reasoning.</summary>
    [Fact]
    public async Task TheWorkedExampleGivesInput13Output5Total18()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Usage = new MockUsage { InputTokens = 10, CacheReadTokens = 3, OutputTokens = 3, ReasoningTokens = 2 } }, "/worked");

        var result = await Adapter.RunAsync(Invocation(Environment(mock, "/worked")), NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.True(result.Success, result.Error);
        Assert.Equal((13L, 5L, 3L, 18L), (result.InputTokens, result.OutputTokens, result.CacheReadTokens, result.InputTokens + result.OutputTokens));
    }

    [Fact]
    public async Task StreamsEveryDeltaAndTimesTheFirstToken()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Text = "one two three four", Chunks = 4, FirstByteDelayMs = 200, ChunkDelayMs = 20, Usage = Usage });
        var observer = new RecordingObserver();

        var result = await Adapter.RunAsync(Invocation(Environment(mock, "")), observer, CancellationToken.None);

        Assert.True(result.Success, result.Error);
        Assert.Equal(4, observer.Deltas.Count);
        Assert.Equal("one two three four", string.Concat(observer.Deltas));
        Assert.Equal(1, observer.FirstTokens);
        Assert.NotNull(result.TimeToFirstToken);
        Assert.InRange(result.TimeToFirstToken.Value, TimeSpan.FromMilliseconds(190), result.Duration);
        Assert.True(result.Duration > result.TimeToFirstToken.Value, $"duration {result.Duration} vs TTFT {result.TimeToFirstToken}");
    }

    [Fact]
    public async Task RateLimitingIsARetryableFailure()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(MockReply.RateLimited(retryAfterSeconds: 7));

        var result = await Adapter.RunAsync(Invocation(Environment(mock, "")), NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.False(result.Success);
        Assert.True(result.Retryable);
        Assert.Equal(ErrorId.ProviderRateLimited, result.ErrorId);
        Assert.Contains("429", result.Error, StringComparison.Ordinal);
        Assert.Contains("'agent-http'", result.Error, StringComparison.Ordinal);
        Assert.Single(mock.Requests); // the SDK did not retry on its own
    }

    [Fact]
    public async Task AServerErrorIsAFailureNotMarkedRetryable()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(MockReply.ServerError());

        var result = await Adapter.RunAsync(Invocation(Environment(mock, "")), NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.False(result.Success);
        Assert.False(result.Retryable);
        Assert.Equal(ErrorId.ProviderRequestFailed, result.ErrorId);
        Assert.Contains("HTTP 500", result.Error, StringComparison.Ordinal);
        Assert.Contains("preset 'mock-preset'", result.Error, StringComparison.Ordinal);
        Assert.Single(mock.Requests);
    }

    [Fact]
    public async Task ADroppedConnectionIsARetryableNetworkError()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(MockReply.Disconnect(afterChunks: 1) with { Text = "a b c", Chunks = 3 });

        var result = await Adapter.RunAsync(Invocation(Environment(mock, "")), NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.False(result.Success);
        Assert.True(result.Retryable);
        Assert.Equal(ErrorId.NetworkError, result.ErrorId);
    }

    [Fact]
    public async Task CancellationEndsAStalledCall()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(MockReply.Stall(afterChunks: 1) with { Text = "first then nothing", Chunks = 3 });
        var observer = new RecordingObserver();
        using var cancellation = new CancellationTokenSource();

        var run = Adapter.RunAsync(Invocation(Environment(mock, "")), observer, cancellation.Token);
        await observer.FirstToken.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        // The mock stalls for good, so the call ending at all (cancelled, not completed or failed) is the cancellation's doing.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task AStalledCallEndsAtTheTasksTimeoutAsATimeout()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(MockReply.Stall());
        var task = new AgentTask { Id = "t-timeout", Prompt = "write a haiku", Timeout = 0.5 };

        var result = await Adapter.RunAsync(Invocation(Environment(mock, ""), task), NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.False(result.Success);
        // The cause, not a clock: the stall never ends by itself, so only the task's own 0.5 s can have ended the call.
        Assert.Equal(ErrorId.TaskTimeout, result.ErrorId);
        Assert.Contains("within the task's timeout of 0.5 s", result.Error, StringComparison.Ordinal);
        Assert.True(result.Retryable);
    }

    [Fact]
    public async Task TheBaseUrlComesFromThePresetsVariables()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.SetDefault(new MockReply { Text = "from A" }, "/preset-a");
        mock.SetDefault(new MockReply { Text = "from B" }, "/preset-b");

        var first = await Adapter.RunAsync(Invocation(Environment(mock, "/preset-a")), NullAgentRunObserver.Instance, CancellationToken.None);
        var second = await Adapter.RunAsync(Invocation(Environment(mock, "/preset-b")), NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.Equal(("from A", "from B"), (first.Text, second.Text));
        Assert.Equal(["/preset-a", "/preset-b"], mock.Requests.Select(r => r.Prefix));
    }

    [Fact]
    public async Task TheKeyNeverAppearsInAnError()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { StatusCode = 401 });
        mock.Script(MockReply.RateLimited());
        mock.Script(MockReply.ServerError());

        var results = new List<AgentRunResult>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await Adapter.RunAsync(Invocation(Environment(mock, "")), NullAgentRunObserver.Instance, CancellationToken.None));
        }

        var unreachable = Environment(mock, "");
        unreachable[BaseUrlVariable] = "http://127.0.0.1:1" + (BaseUrlVariable.StartsWith("OPENAI", StringComparison.Ordinal) ? "/v1" : string.Empty);
        results.Add(await Adapter.RunAsync(Invocation(unreachable), NullAgentRunObserver.Instance, CancellationToken.None));

        Assert.All(results, r => Assert.False(r.Success));
        Assert.All(results, r => Assert.DoesNotContain(Key, r.Error, StringComparison.Ordinal));
        Assert.All(results, r => Assert.DoesNotContain(Key[^8..], r.Error, StringComparison.Ordinal));
        Assert.Equal(ErrorId.NetworkError, results[^1].ErrorId);
    }

    [Fact]
    public async Task AMissingBaseUrlKeyOrModelNamesTheAgentThePresetAndTheVariable()
    {
        await using var mock = await MockProviderServer.StartAsync();
        foreach (var variable in new[] { BaseUrlVariable, KeyVariable, ModelVariable })
        {
            var environment = Environment(mock, "");
            environment.Remove(variable);

            var result = await Adapter.RunAsync(Invocation(environment), NullAgentRunObserver.Instance, CancellationToken.None);
            var check = Adapter.Check(Agent(), "mock-preset", environment, null);

            Assert.False(result.Success);
            Assert.Equal(ErrorId.AgentInitializationFailed, result.ErrorId);
            Assert.Contains("'agent-http'", result.Error, StringComparison.Ordinal);
            Assert.Contains("preset 'mock-preset'", result.Error, StringComparison.Ordinal);
            Assert.Contains(variable, result.Error, StringComparison.Ordinal);
            Assert.False(check.IsReady);
            Assert.Equal(result.Error, check.Error!.Message);
        }

        Assert.Empty(mock.Requests);
    }

    [Fact]
    public async Task ADefinitionAloneIsJudgedOnTheEnvironmentItsLaunchReallyGets()
    {
        // The base URL and key may come from -Preset, a switched environment or the session's preset, so the
        // definition alone cannot be refused; the launch, built in that order, can.
        var bare = new AgentDefinition { Name = "bare", Adapter = Adapter.Name };
        var definitionOnly = await Adapter.CheckAsync(bare, CancellationToken.None);
        var bareLaunch = Adapter.CheckLaunch(Launch(bare, new Dictionary<string, string>(StringComparer.Ordinal)));
        var givenLaunch = Adapter.CheckLaunch(Launch(bare, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [BaseUrlVariable] = "http://127.0.0.1:9",
            [KeyVariable] = Key,
            [ModelVariable] = "m",
        }));

        Assert.True(definitionOnly.IsReady);
        Assert.False(bareLaunch.IsReady);
        Assert.Equal(ErrorId.AgentInitializationFailed, bareLaunch.Error!.Id);
        Assert.Contains("'bare'", bareLaunch.Error.Message, StringComparison.Ordinal);
        Assert.Contains(BaseUrlVariable, bareLaunch.Error.Message, StringComparison.Ordinal);
        Assert.True(givenLaunch.IsReady);
    }

    private AgentLaunch Launch(AgentDefinition agent, Dictionary<string, string> environment) => new()
    {
        Agent = agent,
        Environment = environment,
        WorkingDirectory = _home.Root,
        Home = _home.Home,
        Supervisor = NoProcesses.Instance,
    };

    protected Dictionary<string, string> Environment(MockProviderServer mock, string prefix) => new(StringComparer.Ordinal)
    {
        [BaseUrlVariable] = BaseUrl(mock, prefix),
        [KeyVariable] = Key,
        [ModelVariable] = "mock-model-1",
        ["PATH"] = "/usr/bin:/bin",
    };

    private protected AgentInvocation Invocation(IReadOnlyDictionary<string, string> environment, AgentTask? task = null) => new()
    {
        Agent = Agent(),
        Task = task ?? new AgentTask { Id = "t-1", Prompt = "write a haiku" },
        Environment = environment,
        WorkingDirectory = _home.Root,
        PresetName = "mock-preset",
        Model = null,
        Home = _home.Home,
        Supervisor = NoProcesses.Instance,
    };

    private AgentDefinition Agent() => new() { Name = "agent-http", Adapter = Adapter.Name, Preset = "mock-preset" };

    /// <summary>The HTTP adapters start no process; any attempt fails the test.</summary>
    private sealed class NoProcesses : IProcessLauncher
    {
        public static NoProcesses Instance { get; } = new();

        public AgentProcess Start(ProcessLaunchRequest request) => throw new InvalidOperationException("An HTTP adapter tried to start a process.");
    }
}
