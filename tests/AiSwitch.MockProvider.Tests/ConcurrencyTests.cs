namespace AiSwitch.MockProvider.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task ConcurrentStreamsOnManyPrefixesEachGetTheirOwnScriptedReply()
    {
        await using var mock = await MockProviderServer.StartAsync();
        const int Sessions = 40;
        for (var i = 0; i < Sessions; i++)
        {
            mock.Script(new MockReply { Text = $"reply for session {i}", Chunks = 5, ChunkDelayMs = 5 }, $"/sess-{i}");
        }

        var texts = await Task.WhenAll(Enumerable.Range(0, Sessions).Select(async i =>
        {
            var events = await Sse.PostAndReadAsync(mock.UrlFor($"sess-{i}") + "/v1/messages",
                """{"model":"m","stream":true,"messages":[{"role":"user","content":"go"}]}""");
            return string.Concat(events.Where(e => e.Name == "content_block_delta").Select(e => e.Json.GetProperty("delta").GetProperty("text").GetString()));
        }));

        Assert.Equal(Enumerable.Range(0, Sessions).Select(i => $"reply for session {i}"), texts);
        Assert.Equal(Enumerable.Range(1, Sessions), mock.Requests.Select(r => r.Sequence).Order());
        Assert.All(mock.Requests, r => Assert.Equal($"reply for session {r.Prefix["/sess-".Length..]}", r.ReplyText));
        Assert.Equal(0, mock.PendingScripts);
    }
}
