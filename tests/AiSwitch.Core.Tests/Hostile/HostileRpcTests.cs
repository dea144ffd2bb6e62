using System.Text;
using System.Text.Json;
using AiSwitch.Core.Tests.Rpc;
using AiSwitch.Rpc;
using Xunit;

namespace AiSwitch.Core.Tests.Hostile;

/// <summary>
/// The hostile-input suite, JSON-RPC part: what a peer (an agent) can send to break or bloat the connection. Each
/// case asserts a clear answer or close reason, that the connection is not broken by it, and that what it holds stays
/// bounded. Run alone with <c>dotnet test --filter Suite=Hostile</c>.
/// </summary>
[Trait("Suite", "Hostile")]
[Collection(HostileSuite.Name)]
public sealed class HostileRpcTests
{
    private static readonly TestJsonContext Json = TestJsonContext.Default;

    private static byte[] UnknownMethodRequests(int first, int count)
    {
        var text = new StringBuilder();
        for (var id = first; id < first + count; id++)
        {
            text.Append("{\"jsonrpc\":\"2.0\",\"id\":").Append(id).Append(",\"method\":\"no.such.method\"}\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    [Fact]
    public async Task A_peer_that_sends_requests_and_never_reads_the_answers_is_cut_off_with_the_reason()
    {
        const int limit = 256 * 1024;
        var options = new JsonRpcConnectionOptions { PeerName = "agent 'flooder'", MaxQueuedBytes = limit };
        await using var peer = new RawPeer(options: options);
        var ours = peer.Connection.InvokeAsync("agent.work", Json.String);
        using var stop = new CancellationTokenSource();
        _ = peer.Connection.Completion.ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);

        // It never reads a line: 64 KiB fill the pipe to it, then every answer must wait in the connection. 200,000
        // requests would hold about 100 MB of answers if nothing bounded them.
        var sent = 0;
        try
        {
            while (sent < 200_000 && !stop.IsCancellationRequested)
            {
                await peer.SendAsync(UnknownMethodRequests(sent, 1000), stop.Token);
                sent += 1000;
            }
        }
        catch (OperationCanceledException)
        {
            // The connection closed and stopped reading: what this test waits for.
        }

        var closed = await peer.Connection.Completion.Within();

        Assert.Equal(JsonRpcCloseReason.PeerNotReading, closed.Reason);
        Assert.Contains("agent 'flooder'", closed.Message, StringComparison.Ordinal);
        Assert.Contains("256 KiB", closed.Message, StringComparison.Ordinal);
        Assert.Contains("must keep reading", closed.Message, StringComparison.Ordinal);
        // Closed long before the 200,000th request: what was queued is bounded by the limit, not by the flood.
        Assert.True(sent < 20_000, $"The connection closed only after {sent} unread answers.");
        var failed = await Assert.ThrowsAsync<AiSwitchException>(() => ours.Within());
        Assert.Equal(ErrorId.AgentProtocolViolation, failed.Id);
        Assert.Contains("must keep reading", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_peer_that_reads_its_answers_may_send_far_more_than_the_queue_limit()
    {
        var options = new JsonRpcConnectionOptions { PeerName = "busy", MaxQueuedBytes = 64 * 1024 };
        await using var peer = new RawPeer(options: options);

        // 20 answers at once fit the 64 KiB (each is held in a buffer of 2 KiB at most); 100 rounds of them are far more.
        for (var round = 0; round < 100; round++)
        {
            await peer.SendAsync(UnknownMethodRequests(round * 20, 20));
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal(-32601, (await peer.ReadMessageAsync()).ErrorCode());
            }
        }

        Assert.False(peer.Connection.IsClosed);
    }

    [Fact]
    public async Task A_100_MB_line_is_skipped_without_being_held_and_the_next_request_is_answered()
    {
        // A 1 MiB limit, so what the connection may hold (one line's buffer) is small beside what is sent.
        await using var peer = new RawPeer(options: new JsonRpcConnectionOptions { PeerName = "hostile", MaxMessageBytes = 1024 * 1024 });
        var before = Heap();
        var chunk = new byte[1024 * 1024];
        chunk.AsSpan().Fill((byte)'a');

        for (var i = 0; i < 100; i++)
        {
            await peer.SendAsync(chunk);
        }

        await peer.SendAsync("\n" + UnknownRequest(1));
        var rejected = await peer.ReadMessageAsync();
        var next = await peer.ReadMessageAsync();

        Assert.Equal(-32600, rejected.ErrorCode());
        Assert.Contains("over the 1 MiB limit and was skipped", Text(rejected), StringComparison.Ordinal);
        Assert.Equal((1, -32601), (next.GetProperty("id").GetInt32(), next.ErrorCode()));
        AssertHeapBounded(before);
    }

    [Fact]
    public async Task Lines_of_invalid_utf8_are_each_refused_and_the_connection_goes_on()
    {
        await using var peer = new RawPeer();
        var before = Heap();
        var garbage = new List<byte>();
        for (var i = 0; i < 1000; i++)
        {
            garbage.AddRange([0xC3, 0x28, 0xFF, 0xFE, (byte)'{', 0x80, (byte)'\n']);
        }

        await peer.SendAsync([.. garbage]);
        await peer.SendAsync(UnknownRequest(1));

        for (var i = 0; i < 1000; i++)
        {
            var refused = await peer.ReadMessageAsync();
            Assert.Equal(-32700, refused.ErrorCode());
            Assert.Equal("The message is not valid UTF-8 text.", Text(refused));
        }

        Assert.Equal(-32601, (await peer.ReadMessageAsync()).ErrorCode());
        AssertHeapBounded(before);
    }

    [Theory]
    [InlineData("[", "]", "")]
    [InlineData("{\"a\":", "}", "1")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":[", "]", "")]
    public async Task Nesting_100000_levels_deep_is_a_parse_error_and_the_connection_goes_on(string open, string close, string middle)
    {
        await using var peer = new RawPeer();
        var line = string.Concat(Enumerable.Repeat(open, 100_000)) + middle + string.Concat(Enumerable.Repeat(close, 100_000));

        await peer.SendLineAsync(line);
        await peer.SendAsync(UnknownRequest(2));
        var refused = await peer.ReadMessageAsync();

        Assert.Equal(-32700, refused.ErrorCode());
        Assert.Contains("depth", Text(refused), StringComparison.Ordinal);
        Assert.Equal(-32601, (await peer.ReadMessageAsync()).ErrorCode());
    }

    [Fact]
    public async Task A_flood_of_notifications_is_handled_in_order_with_nothing_queued_for_it()
    {
        const int count = 200_000;
        var handled = 0;
        var options = new JsonRpcConnectionOptions { PeerName = "chatty", MaxQueuedBytes = 64 * 1024 };
        await using var peer = new RawPeer(connection => connection.AddNotification("progress", Json.EchoParams, (_, _) =>
        {
            Interlocked.Increment(ref handled);
            return ValueTask.CompletedTask;
        }), options);
        var before = Heap();

        for (var sent = 0; sent < count; sent += 10_000)
        {
            var text = new StringBuilder();
            for (var i = 0; i < 10_000; i++)
            {
                text.Append(i % 2 == 0
                    ? "{\"jsonrpc\":\"2.0\",\"method\":\"progress\",\"params\":{\"text\":\"step\"}}\n"
                    : "{\"jsonrpc\":\"2.0\",\"method\":\"no.such.notification\"}\n");
            }

            await peer.SendAsync(text.ToString());
        }

        await peer.SendAsync(UnknownRequest(3));
        var answer = await peer.ReadMessageAsync();

        // The first thing written back answers the request sent after the flood: no notification was answered, and
        // every handled one ran before it (handlers start on the reading loop in arrival order).
        Assert.Equal(3, answer.GetProperty("id").GetInt32());
        Assert.Equal(count / 2, Volatile.Read(ref handled));
        Assert.False(peer.Connection.IsClosed);
        AssertHeapBounded(before);
    }

    [Fact]
    public async Task A_batch_of_100000_entries_is_refused_whole_and_a_full_batch_is_answered_in_one_array()
    {
        await using var peer = new RawPeer();
        var before = Heap();

        await peer.SendLineAsync(Batch(100_000));
        var refused = await peer.ReadMessageAsync();
        await peer.SendLineAsync(Batch(1024));
        var answered = await peer.ReadMessageAsync();

        Assert.Equal(-32600, refused.ErrorCode());
        Assert.Equal("The batch has more than 1024 entries; send smaller batches.", Text(refused));
        Assert.Equal(JsonValueKind.Array, answered.ValueKind);
        Assert.Equal(1024, answered.GetArrayLength());
        Assert.All(answered.EnumerateArray(), entry => Assert.Equal(-32601, entry.ErrorCode()));
        AssertHeapBounded(before);
    }

    private static string UnknownRequest(int id) => $$"""{"jsonrpc":"2.0","id":{{id}},"method":"no.such.method"}""" + "\n";

    private static string Batch(int entries)
        => "[" + string.Join(",", Enumerable.Range(1, entries).Select(id => UnknownRequest(id).TrimEnd('\n'))) + "]";

    private static string? Text(JsonElement error) => error.GetProperty("error").GetProperty("message").GetString();

    private static long Heap() => GC.GetTotalMemory(forceFullCollection: true);

    /// <summary>
    /// What the connection holds after the hostile input: a line's buffer and change. Generous on purpose (the
    /// suite runs alone, see <see cref="HostileSuite"/>): the point is that nothing grows with the input (100 MB here).
    /// </summary>
    private static void AssertHeapBounded(long before)
    {
        var grown = Heap() - before;
        Assert.True(grown < 32L * 1024 * 1024, $"The heap grew by {grown / (1024 * 1024)} MiB.");
    }
}
