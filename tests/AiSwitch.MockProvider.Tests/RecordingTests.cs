using System.Text.Json;

namespace AiSwitch.MockProvider.Tests;

public sealed class RecordingTests
{
    [Fact]
    public async Task EveryRequestIsRecordedWithBodyModelPromptUsageAndRedactedCredentials()
    {
        await using var mock = await MockProviderServer.StartAsync();
        var usage = new MockUsage { InputTokens = 3, OutputTokens = 4 };
        mock.Script(new MockReply { Text = "recorded", Usage = usage });
        var body = """{"model":"claude-rec","stream":true,"messages":[{"role":"user","content":"record me"}]}""";

        await Sse.PostAndReadAsync(mock.UrlFor("team-a") + "/v1/messages?beta=true", body,
            ("x-api-key", "sk-ant-secret-value-9876"), ("Authorization", "Bearer tok-secret-abcdef-5555"), ("anthropic-version", "2023-06-01"));

        var recorded = Assert.Single(mock.Requests);
        Assert.Equal(1, recorded.Sequence);
        Assert.Equal(("POST", "/team-a/v1/messages", "?beta=true", "/team-a"), (recorded.Method, recorded.Path, recorded.Query, recorded.Prefix));
        Assert.Equal((MockApi.AnthropicMessages, "claude-rec", "record me", true), (recorded.Api, recorded.Model, recorded.LastUserText, recorded.Streamed));
        Assert.Equal((200, "recorded"), (recorded.StatusCode, recorded.ReplyText));
        Assert.Equal(usage, recorded.Usage);
        Assert.Equal(body, recorded.Body);
        Assert.Equal("***9876", recorded.Headers["x-api-key"]);
        Assert.Equal("Bearer ***5555", recorded.Headers["authorization"]);
        Assert.Equal("2023-06-01", recorded.Headers["anthropic-version"]);
        Assert.DoesNotContain(mock.Requests, r => r.Headers.Values.Any(v => v.Contains("secret", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task GeminiKeysInHeaderAndQueryAreRedacted()
    {
        await using var mock = await MockProviderServer.StartAsync();

        await Sse.PostAndReadAsync(mock.BaseUrl + "/v1beta/models/g:streamGenerateContent?alt=sse&key=AIza-query-secret-1111",
            """{"contents":[{"parts":[{"text":"hi"}]}]}""", ("x-goog-api-key", "AIza-header-secret-2222"));

        var recorded = Assert.Single(mock.Requests);
        Assert.Equal("***2222", recorded.Headers["x-goog-api-key"]);
        Assert.Equal("?alt=sse&key=***1111", recorded.Query);
    }

    [Fact]
    public async Task UnknownPathsAreRecordedAndAnswered404WithAHint()
    {
        await using var mock = await MockProviderServer.StartAsync();

        using var response = await Sse.PostAsync(mock.BaseUrl + "/p/v1/embeddings", "{}");

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Contains("docs/mock-provider.md", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var recorded = Assert.Single(mock.Requests);
        Assert.Equal((MockApi.Unknown, "/p", 404), (recorded.Api, recorded.Prefix, recorded.StatusCode));
        Assert.Null(recorded.Usage);
    }

    [Fact]
    public async Task MalformedBodiesAreAnsweredAndRecordedNotRejected()
    {
        await using var mock = await MockProviderServer.StartAsync();

        var message = await Sse.PostJsonAsync(mock.BaseUrl + "/v1/messages", "{not json");

        Assert.Equal("mock reply #1: ", message.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("{not json", Assert.Single(mock.Requests).Body);
    }

    [Fact]
    public async Task WaitForRequestCompletesWhenAMatchingRequestArrives()
    {
        await using var mock = await MockProviderServer.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var waiting = mock.WaitForRequestAsync(r => r.Prefix == "/later", timeout.Token);
        Assert.False(waiting.IsCompleted);
        await Sse.PostJsonAsync(mock.BaseUrl + "/sooner/v1/messages", """{"messages":[]}""");
        Assert.False(waiting.IsCompleted);
        await Sse.PostJsonAsync(mock.BaseUrl + "/later/v1/messages", """{"messages":[]}""");

        Assert.Equal(2, (await waiting).Sequence);
        Assert.Equal(1, (await mock.WaitForRequestAsync(r => r.Prefix == "/sooner", timeout.Token)).Sequence);
    }

    [Fact]
    public async Task RequestsListIsServedAsJsonOverHttp()
    {
        await using var mock = await MockProviderServer.StartAsync();
        await Sse.PostJsonAsync(mock.BaseUrl + "/a/v1/messages", """{"model":"m1","messages":[{"role":"user","content":"x"}]}""");
        await Sse.PostJsonAsync(mock.BaseUrl + "/b/v1/messages", """{"model":"m2","messages":[{"role":"user","content":"y"}]}""");

        var all = JsonDocument.Parse(await Sse.Http.GetStringAsync(mock.BaseUrl + "/_mock/requests")).RootElement;
        var onlyB = JsonDocument.Parse(await Sse.Http.GetStringAsync(mock.BaseUrl + "/_mock/requests?prefix=b")).RootElement;

        Assert.Equal(2, all.GetArrayLength());
        Assert.Equal("m2", Assert.Single(onlyB.EnumerateArray()).GetProperty("model").GetString());
        Assert.Equal("AnthropicMessages", all[0].GetProperty("api").GetString());
        Assert.Equal(MockUsage.Default.InputTokens, all[0].GetProperty("usage").GetProperty("inputTokens").GetInt32());
        Assert.Equal(2, mock.Requests.Count);
    }
}
