using System.Diagnostics;
using System.Text.Json;

namespace AiSwitch.MockProvider.Tests;

/// <summary>Errors, stalls, disconnects and latency. Where time is the subject, the tests measure it (never to wait for an event).</summary>
public sealed class FaultTests
{
    private const string AnthropicStream = """{"model":"m","stream":true,"messages":[{"role":"user","content":"q"}]}""";

    public static TheoryData<string, string, string, string> ErrorShapes => new()
    {
        { "/v1/messages", AnthropicStream, "error.type", "rate_limit_error" },
        { "/v1/responses", """{"model":"m","stream":true,"input":"q"}""", "error.message", "Scripted HTTP 429 from the AiSwitch mock provider." },
        { "/v1/chat/completions", """{"model":"m","messages":[]}""", "error.type", "rate_limit_exceeded" },
        { "/v1beta/models/g:streamGenerateContent?alt=sse", """{"contents":[]}""", "error.status", "RESOURCE_EXHAUSTED" },
    };

    [Theory]
    [MemberData(nameof(ErrorShapes))]
    public async Task RateLimitAnswers429WithRetryAfterInTheVendorsErrorShape(string path, string body, string member, string expected)
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(MockReply.RateLimited(retryAfterSeconds: 7));

        using var response = await Sse.PostAsync(mock.BaseUrl + path, body);

        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var value = member.Split('.').Aggregate(error, (element, name) => element.GetProperty(name));
        Assert.Contains(value.GetString()!, new[] { "rate_limit_error", "rate_limit_exceeded", "RESOURCE_EXHAUSTED", "Scripted HTTP 429 from the AiSwitch mock provider." });
        Assert.Equal(expected, value.GetString()); // this vendor's own value, not another vendor's
        var recorded = Assert.Single(mock.Requests);
        Assert.Equal(429, recorded.StatusCode);
        Assert.Null(recorded.Usage);
    }

    [Fact]
    public async Task ServerErrorAnswers500InTheAnthropicShape()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(MockReply.ServerError());

        using var response = await Sse.PostAsync(mock.BaseUrl + "/v1/messages", AnthropicStream);

        Assert.Equal(500, (int)response.StatusCode);
        Assert.False(response.Headers.Contains("retry-after"));
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("error", "api_error"), (error.GetProperty("type").GetString(), error.GetProperty("error").GetProperty("type").GetString()));
    }

    [Fact]
    public async Task StallNeverAnswersUntilTheClientGivesUpAndTheServerStaysUsable()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(MockReply.Stall());
        using var giveUp = new CancellationTokenSource();

        var stalled = Sse.PostAsync(mock.BaseUrl + "/v1/messages", AnthropicStream, giveUp.Token);
        await mock.WaitForRequestAsync(r => r.Fault == MockFault.Stall);
        var first = await Task.WhenAny(stalled, Task.Delay(TimeSpan.FromMilliseconds(400)));

        Assert.NotSame(stalled, first);
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stalled);
        var events = await Sse.PostAndReadAsync(mock.BaseUrl + "/v1/messages", AnthropicStream);
        Assert.Equal("message_stop", events[^1].Name);
    }

    [Fact]
    public async Task StallAfterAChunkKeepsTheStreamOpenWithoutMoreData()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Text = "abcdef", Chunks = 3, Fault = MockFault.Stall, FaultAfterChunks = 1 });
        using var response = await Sse.PostAsync(mock.BaseUrl + "/v1/messages", AnthropicStream);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        await using var events = Sse.ReadAsync(reader).GetAsyncEnumerator();

        var seen = new List<string>();
        while (seen.LastOrDefault() != "content_block_delta" && await events.MoveNextAsync())
        {
            seen.Add(events.Current.Name!);
        }

        var next = events.MoveNextAsync().AsTask();
        Assert.NotSame(next, await Task.WhenAny(next, Task.Delay(TimeSpan.FromMilliseconds(400))));
        Assert.Equal(["message_start", "content_block_start", "content_block_delta"], seen);

        // The stall never ends by itself, so disposing at all is the point; the bound only keeps a hang from stalling the run.
        await mock.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        await Assert.ThrowsAnyAsync<Exception>(async () => await next);
    }

    [Fact]
    public async Task DisconnectAbortsTheConnectionAfterTheScriptedChunks()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(MockReply.Disconnect(afterChunks: 2) with { Text = "abcdefgh", Chunks = 4 });
        using var response = await Sse.PostAsync(mock.BaseUrl + "/v1/responses", """{"model":"m","stream":true,"input":"q"}""");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var received = new List<SseEvent>();
        var failure = await Record.ExceptionAsync(async () =>
        {
            await foreach (var item in Sse.ReadAsync(reader))
            {
                received.Add(item);
            }
        });

        Assert.IsAssignableFrom<IOException>(failure);
        Assert.Equal(["ab", "cd"], received.Where(e => e.Type == "response.output_text.delta").Select(e => e.Json.GetProperty("delta").GetString()));
        Assert.DoesNotContain(received, e => e.Type == "response.completed");
        Assert.Equal(MockFault.Disconnect, Assert.Single(mock.Requests).Fault);
    }

    [Fact]
    public async Task FirstByteLatencyDelaysTheHeaders()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { FirstByteDelayMs = 300 });

        var stopwatch = Stopwatch.StartNew();
        using var response = await Sse.PostAsync(mock.BaseUrl + "/v1/messages", AnthropicStream);

        Assert.True(stopwatch.ElapsedMilliseconds >= 290, $"Headers came after {stopwatch.ElapsedMilliseconds} ms.");
    }

    [Fact]
    public async Task ChunkLatencySpacesTheTextChunks()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Text = "abc", Chunks = 3, ChunkDelayMs = 150 });

        // Timed from before the request: the mock cannot have sent the third chunk before it waited twice, however
        // slow this machine is (a bound between two arrivals is not: a starved reader takes buffered chunks at once).
        var stopwatch = Stopwatch.StartNew();
        using var response = await Sse.PostAsync(mock.BaseUrl + "/v1beta/models/g:streamGenerateContent?alt=sse", """{"contents":[]}""");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var arrivals = new List<long>();
        await foreach (var _ in Sse.ReadAsync(reader))
        {
            arrivals.Add(stopwatch.ElapsedMilliseconds);
        }

        Assert.Equal(3, arrivals.Count);
        Assert.True(arrivals[2] >= 2 * 150, $"The third chunk arrived {arrivals[2]} ms after the request, before the mock's two 150 ms waits.");
    }
}
