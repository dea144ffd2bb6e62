using System.Text.Json;
using AiSwitch.Rpc;
using Xunit;

namespace AiSwitch.Core.Tests.Rpc;

public sealed class JsonRpcBatchTests
{
    private static readonly TestJsonContext Json = TestJsonContext.Default;

    [Fact]
    public async Task A_batch_goes_out_as_one_array_and_each_call_completes_from_an_array_answer_in_any_order()
    {
        await using var peer = new RawPeer();
        var batch = peer.Connection.CreateBatch();
        var first = batch.AddCall("echo", new EchoParams { Text = "a" }, Json.EchoParams, Json.EchoResult);
        batch.AddNotification("note", new EchoParams { Text = "n" }, Json.EchoParams);
        var second = batch.AddCall("echo", new EchoParams { Text = "b" }, Json.EchoParams, Json.EchoResult);

        await batch.SendAsync();
        var sent = await peer.ReadMessageAsync();
        var ids = sent.EnumerateArray().Where(m => m.TryGetProperty("id", out _)).Select(m => m.GetProperty("id").GetInt64()).ToList();
        await peer.SendLineAsync($$$"""[{"jsonrpc":"2.0","id":{{{ids[1]}}},"result":{"text":"B"}},{"jsonrpc":"2.0","id":{{{ids[0]}}},"result":{"text":"A"}}]""");

        Assert.Equal(JsonValueKind.Array, sent.ValueKind);
        Assert.Equal(3, sent.GetArrayLength());
        Assert.Equal(2, ids.Count);
        Assert.Equal("A", (await first.Within()).Text);
        Assert.Equal("B", (await second.Within()).Text);
    }

    [Fact]
    public async Task A_batch_between_two_connections_is_served_and_answered_as_a_batch()
    {
        await using var pair = RpcPair.Create((_, server) =>
            server.AddMethod("echo", Json.EchoParams, Json.EchoResult, (p, _) => ValueTask.FromResult(new EchoResult { Text = p.Text + "!" })));
        var batch = pair.Client.CreateBatch();
        var calls = Enumerable.Range(0, 20).Select(i => batch.AddCall("echo", new EchoParams { Text = $"{i}" }, Json.EchoParams, Json.EchoResult)).ToList();
        var missing = batch.AddCall("absent", new EchoParams(), Json.EchoParams, Json.EchoResult);

        await batch.SendAsync();

        var results = await Task.WhenAll(calls).Within();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"{i}!"), results.Select(r => r.Text));
        Assert.Equal(ErrorId.RpcMethodNotFound, (await Assert.ThrowsAsync<AiSwitchException>(() => missing.Within())).Id);
    }

    [Fact]
    public async Task A_batch_over_the_size_limit_fails_each_of_its_calls_and_sends_nothing()
    {
        await using var peer = new RawPeer(options: new JsonRpcConnectionOptions { MaxMessageBytes = 512 });
        var batch = peer.Connection.CreateBatch();
        var calls = Enumerable.Range(0, 10).Select(_ => batch.AddCall("echo", new EchoParams { Text = new string('q', 100) }, Json.EchoParams, Json.EchoResult)).ToList();

        await batch.SendAsync();

        foreach (var call in calls)
        {
            Assert.Equal(ErrorId.RpcMessageTooLarge, (await Assert.ThrowsAsync<AiSwitchException>(() => call.Within())).Id);
        }

        Assert.Equal(0, peer.Connection.PendingCallCount);

        // The writer keeps order: had the batch been queued, it would be the first line out, not this notification.
        await peer.Connection.NotifyAsync("after", new EchoParams { Text = "next" }, Json.EchoParams);
        Assert.Equal("after", (await peer.ReadMessageAsync()).GetProperty("method").GetString());
    }

    [Fact]
    public async Task An_empty_batch_or_a_second_send_is_refused()
    {
        await using var peer = new RawPeer();
        var empty = peer.Connection.CreateBatch();
        var once = peer.Connection.CreateBatch();
        once.AddNotification("note", new EchoParams(), Json.EchoParams);
        await once.SendAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => empty.SendAsync().AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => once.SendAsync().AsTask());
    }
}
