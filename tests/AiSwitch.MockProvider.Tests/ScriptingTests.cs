using System.Text.Json;

namespace AiSwitch.MockProvider.Tests;

public sealed class ScriptingTests
{
    private const string Body = """{"model":"m","messages":[{"role":"user","content":"q"}]}""";

    private static async Task<string> ReplyTextAsync(MockProviderServer mock, string prefix)
    {
        var message = await Sse.PostJsonAsync(mock.UrlFor(prefix) + "/v1/messages", Body);
        return message.GetProperty("content")[0].GetProperty("text").GetString()!;
    }

    [Fact]
    public async Task RepliesQueuedForAPrefixAreServedInOrderOnlyThere()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Text = "a1" }, "/a");
        mock.Script(new MockReply { Text = "a2" }, "a/");
        mock.Script(new MockReply { Text = "b1" }, "/b");

        Assert.Equal("b1", await ReplyTextAsync(mock, "/b"));
        Assert.Equal("a1", await ReplyTextAsync(mock, "/a"));
        Assert.Equal("a2", await ReplyTextAsync(mock, "/a"));
        Assert.Equal("mock reply #4: q", await ReplyTextAsync(mock, "/a"));
        Assert.Equal(0, mock.PendingScripts);
    }

    [Fact]
    public async Task LookupGoesPrefixQueueThenAnyQueueThenPrefixDefaultThenAnyDefault()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.SetDefault(new MockReply { Text = "any-default" });
        mock.SetDefault(new MockReply { Text = "a-default" }, "/a");
        mock.Script(new MockReply { Text = "any-queued" });
        mock.Script(new MockReply { Text = "a-queued" }, "/a");

        Assert.Equal("a-queued", await ReplyTextAsync(mock, "/a"));
        Assert.Equal("any-queued", await ReplyTextAsync(mock, "/a"));
        Assert.Equal("a-default", await ReplyTextAsync(mock, "/a"));
        Assert.Equal("any-default", await ReplyTextAsync(mock, "/b"));
        Assert.Equal("any-default", await ReplyTextAsync(mock, ""));
    }

    [Fact]
    public async Task ResetForgetsScriptsDefaultsAndRequestsButKeepsNumbering()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.SetDefault(new MockReply { Text = "d" });
        mock.Script(new MockReply { Text = "q" });
        await ReplyTextAsync(mock, "");

        mock.Reset();

        Assert.Empty(mock.Requests);
        Assert.Equal(0, mock.PendingScripts);
        Assert.Equal("mock reply #2: q", await ReplyTextAsync(mock, ""));
    }

    [Fact]
    public async Task ScriptsCanBePostedOverHttpWithCamelCaseFields()
    {
        await using var mock = await MockProviderServer.StartAsync();
        var script = """
            {"prefix":"/sess-1","replies":[
              {"text":"first","usage":{"inputTokens":7,"outputTokens":2,"cacheReadTokens":1}},
              {"statusCode":429,"retryAfterSeconds":3},
              {"fault":"disconnect","faultAfterChunks":1}]}
            """;

        var accepted = await Sse.PostJsonAsync(mock.BaseUrl + "/_mock/script", script);
        var defaulted = await Sse.PostJsonAsync(mock.BaseUrl + "/_mock/script", """{"default":true,"reply":{"text":"fallback"}}""");

        Assert.Equal(3, accepted.GetProperty("queued").GetInt32());
        Assert.Equal(0, defaulted.GetProperty("queued").GetInt32());
        Assert.Equal(3, mock.PendingScripts);
        var message = await Sse.PostJsonAsync(mock.UrlFor("sess-1") + "/v1/messages", Body);
        Assert.Equal("first", message.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(7, message.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        using var limited = await Sse.PostAsync(mock.UrlFor("sess-1") + "/v1/messages", Body);
        Assert.Equal((429, "3"), ((int)limited.StatusCode, limited.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Sse.PostAsync(mock.UrlFor("sess-1") + "/v1/messages", Body));
        Assert.Equal(MockFault.Disconnect, mock.Requests[^1].Fault);
        Assert.Equal("fallback", await ReplyTextAsync(mock, "/other"));
    }

    [Fact]
    public async Task ResetOverHttpClearsEverything()
    {
        await using var mock = await MockProviderServer.StartAsync();
        mock.Script(new MockReply { Text = "x" });
        await ReplyTextAsync(mock, "");
        mock.Script(new MockReply { Text = "y" });
        mock.SetDefault(new MockReply { Text = "d" }, "/p");

        var reset = await Sse.PostJsonAsync(mock.BaseUrl + "/_mock/reset", "");

        Assert.True(reset.GetProperty("reset").GetBoolean());
        Assert.Empty(mock.Requests);
        Assert.Equal(0, mock.PendingScripts);
        Assert.Equal("mock reply #2: q", await ReplyTextAsync(mock, "/p")); // the default is forgotten too, the numbering kept
    }

    [Theory]
    [InlineData("{not json", "not valid")]
    [InlineData("""{"prefix":"/a"}""", "names no reply")]
    [InlineData("""{"default":true,"replies":[{"text":"a"},{"text":"b"}]}""", "names no reply")]
    [InlineData("""{"reply":{"fault":"explode"}}""", "not valid")]
    public async Task BadScriptsAreRejectedWith400AndAnExample(string script, string expected)
    {
        await using var mock = await MockProviderServer.StartAsync();

        using var response = await Sse.PostAsync(mock.BaseUrl + "/_mock/script", script);

        Assert.Equal(400, (int)response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("\"reply\"", error, StringComparison.Ordinal);
        Assert.Equal(0, mock.PendingScripts);
    }

    [Fact]
    public async Task UnknownControlPathsAnswer404NamingTheEndpoints()
    {
        await using var mock = await MockProviderServer.StartAsync();

        using var response = await Sse.Http.GetAsync(mock.BaseUrl + "/_mock/nothing");

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Contains("/_mock/script", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(mock.Requests);
    }
}
