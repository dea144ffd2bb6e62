using System.Text;
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
}
