using System.Text;
using System.Text.Json;
using AiSwitch.Rpc;
using Xunit;

namespace AiSwitch.Core.Tests.Rpc;

/// <summary>What the connection does with each kind of line a peer can send, good or bad.</summary>
public sealed class JsonRpcWireTests
{
    private static readonly TestJsonContext Json = TestJsonContext.Default;

    private static void AddEcho(JsonRpcConnection connection) =>
        connection.AddMethod("echo", Json.EchoParams, Json.EchoResult, (p, _) => ValueTask.FromResult(new EchoResult { Text = p.Text }));

    /// <summary>Proves the connection still answers after whatever came before.</summary>
    private static async Task AssertStillServesAsync(RawPeer peer, string id = "\"probe\"")
    {
        await peer.SendLineAsync($$$"""{"jsonrpc":"2.0","id":{{{id}}},"method":"echo","params":{"text":"alive"}}""");
        var reply = await peer.ReadMessageAsync();
        Assert.Equal("alive", reply.GetProperty("result").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Every_response_carries_jsonrpc_2_0_and_the_request_id_as_sent()
    {
        await using var peer = new RawPeer(AddEcho);

        await peer.SendLineAsync("""{"jsonrpc":"2.0","id":"abc-1","method":"echo","params":{"text":"x"}}""");
        var byString = await peer.ReadMessageAsync();
        await peer.SendLineAsync("""{"jsonrpc":"2.0","id":9007199254740993,"method":"echo","params":{"text":"y"}}""");
        var byNumber = await peer.ReadMessageAsync();

        Assert.Equal("2.0", byString.GetProperty("jsonrpc").GetString());
        Assert.Equal("abc-1", byString.GetProperty("id").GetString());
        Assert.Equal(9007199254740993, byNumber.GetProperty("id").GetInt64());
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":")]
    [InlineData("{oops}")]
    [InlineData("{\"a\":1} {\"b\":2}")]
    [InlineData("[1,2")]
    [InlineData("nul")]
    public async Task Malformed_json_gets_a_parse_error_with_a_null_id_and_the_connection_goes_on(string line)
    {
        await using var peer = new RawPeer(AddEcho);

        await peer.SendLineAsync(line);
        var reply = await peer.ReadMessageAsync();

        Assert.Equal(-32700, reply.ErrorCode());
        Assert.True(reply.HasNullId());
        await AssertStillServesAsync(peer);
    }

    [Fact]
    public async Task Invalid_utf8_gets_a_parse_error_and_the_connection_goes_on()
    {
        await using var peer = new RawPeer(AddEcho);
        var bytes = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":{\"text\":\"\u00e9X\"}}\n");
        var at = Array.IndexOf(bytes, (byte)'X');
        bytes[at - 1] = 0xC3; // a lead byte followed by an ASCII byte: not UTF-8
        bytes[at] = 0x28;

        await peer.SendAsync(bytes);
        var reply = await peer.ReadMessageAsync();

        Assert.Equal(-32700, reply.ErrorCode());
        await AssertStillServesAsync(peer);
    }

    [Fact]
    public async Task A_line_over_the_limit_is_skipped_without_buffering_it_and_answered_with_invalid_request()
    {
        var options = new JsonRpcConnectionOptions { MaxMessageBytes = 4096 };
        await using var peer = new RawPeer(AddEcho, options);

        // 1 MiB in 64 KiB writes, without a newline until the end: far more than the limit.
        var chunk = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));
        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":{\"text\":\"");
        for (var i = 0; i < 16; i++)
        {
            await peer.SendAsync(chunk);
        }

        await peer.SendLineAsync("\"}}");
        var reply = await peer.ReadMessageAsync();

        Assert.Equal(-32600, reply.ErrorCode());
        Assert.True(reply.HasNullId());
        Assert.Equal("4096", reply.GetProperty("error").GetProperty("data").GetProperty("max_message_bytes").GetString());
        await AssertStillServesAsync(peer);
    }

    [Fact]
    public async Task A_line_just_under_the_limit_is_served()
    {
        var options = new JsonRpcConnectionOptions { MaxMessageBytes = 4096 };
        await using var peer = new RawPeer(AddEcho, options);
        var prefix = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":{\"text\":\"";
        var suffix = "\"}}";
        var text = new string('y', 4096 - prefix.Length - suffix.Length);

        await peer.SendLineAsync(prefix + text + suffix);
        var reply = await peer.ReadMessageAsync();

        Assert.Equal(text, reply.GetProperty("result").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Nesting_deeper_than_the_limit_is_a_parse_error()
    {
        await using var peer = new RawPeer(AddEcho);
        var deep = new string('[', 500) + new string(']', 500);

        await peer.SendLineAsync($$$"""{"jsonrpc":"2.0","id":1,"method":"echo","params":{"text":"a","extra":{{{deep}}}}}""");
        var reply = await peer.ReadMessageAsync();

        Assert.Equal(-32700, reply.ErrorCode());
        await AssertStillServesAsync(peer);
    }

    [Fact]
    public async Task Unknown_members_are_ignored_and_a_missing_jsonrpc_member_is_accepted()
    {
        await using var peer = new RawPeer(AddEcho);

        await peer.SendLineAsync("""{"id":4,"method":"echo","params":{"text":"codex","unknown":[1,{"x":null}]},"emittedAtMs":17}""");
        var reply = await peer.ReadMessageAsync();

        Assert.Equal(4, reply.GetProperty("id").GetInt32());
        Assert.Equal("codex", reply.GetProperty("result").GetProperty("text").GetString());
        Assert.Equal("2.0", reply.GetProperty("jsonrpc").GetString());
    }

    [Fact]
    public async Task A_wrong_jsonrpc_version_is_an_invalid_request()
    {
        await using var peer = new RawPeer(AddEcho);

        await peer.SendLineAsync("""{"jsonrpc":"1.0","id":5,"method":"echo","params":{"text":"x"}}""");
        var reply = await peer.ReadMessageAsync();

        Assert.Equal(-32600, reply.ErrorCode());
        Assert.Equal(5, reply.GetProperty("id").GetInt32());
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":7}""", "1")]
    [InlineData("""{"jsonrpc":"2.0","id":{"a":1},"method":"echo"}""", "null")]
    [InlineData("""{"jsonrpc":"2.0","id":1.5,"method":"echo"}""", "null")]
    [InlineData("""{"jsonrpc":"2.0","id":8}""", "8")]
    [InlineData("42", "null")]
    [InlineData("\"text\"", "null")]
    public async Task Messages_that_are_json_but_not_requests_are_invalid_requests(string line, string expectedId)
    {
        await using var peer = new RawPeer(AddEcho);

        await peer.SendLineAsync(line);
        var reply = await peer.ReadMessageAsync();

        Assert.Equal(-32600, reply.ErrorCode());
        Assert.Equal(expectedId, reply.GetProperty("id").GetRawText());
        await AssertStillServesAsync(peer);
    }

    [Fact]
    public async Task A_response_to_an_unknown_id_is_logged_and_ignored()
    {
        await using var peer = new RawPeer(AddEcho);

        await peer.SendLineAsync("""{"jsonrpc":"2.0","id":12345,"result":{"text":"stray"}}""");
        await peer.SendLineAsync("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}""");
        await AssertStillServesAsync(peer);

        lock (peer.Log)
        {
            Assert.Contains(peer.Log, line => line.Contains("id 12345", StringComparison.Ordinal));
            Assert.Contains(peer.Log, line => line.Contains("-32700", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Blank_lines_and_crlf_endings_are_tolerated()
    {
        await using var peer = new RawPeer(AddEcho);

        await peer.SendAsync("\n\r\n   \n{\"id\":1,\"method\":\"echo\",\"params\":{\"text\":\"crlf\"}}\r\n");
        var reply = await peer.ReadMessageAsync();

        Assert.Equal("crlf", reply.GetProperty("result").GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_last_line_may_end_without_a_newline()
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var peer = new RawPeer(c => c.AddNotification("note", Json.EchoParams, (p, _) =>
        {
            seen.TrySetResult(p.Text);
            return ValueTask.CompletedTask;
        }));

        await peer.SendAsync("""{"method":"note","params":{"text":"last"}}""");
        await peer.CloseInputAsync();

        Assert.Equal("last", await seen.Task.Within());
    }

    [Fact]
    public async Task A_batch_is_answered_with_one_array_holding_a_response_per_request()
    {
        var notes = 0;
        await using var peer = new RawPeer(c =>
        {
            c.AddMethod("slow", Json.EchoParams, Json.EchoResult, async (p, ct) =>
            {
                await Task.Delay(p.DelayMs, ct);
                return new EchoResult { Text = p.Text };
            });
            c.AddNotification("note", Json.EchoParams, (_, _) =>
            {
                Interlocked.Increment(ref notes);
                return ValueTask.CompletedTask;
            });
        });

        await peer.SendLineAsync("""
            [{"jsonrpc":"2.0","id":1,"method":"slow","params":{"text":"a","delay_ms":50}},
             {"jsonrpc":"2.0","method":"note","params":{"text":"n"}},
             {"jsonrpc":"2.0","id":"two","method":"slow","params":{"text":"b","delay_ms":1}},
             {"jsonrpc":"2.0","id":3,"method":"missing"},
             7]
            """.ReplaceLineEndings(""));
        var reply = await peer.ReadMessageAsync();

        Assert.Equal(JsonValueKind.Array, reply.ValueKind);
        var byId = reply.EnumerateArray().ToDictionary(r => r.GetProperty("id").GetRawText());
        Assert.Equal(4, byId.Count);
        Assert.Equal("a", byId["1"].GetProperty("result").GetProperty("text").GetString());
        Assert.Equal("b", byId["\"two\""].GetProperty("result").GetProperty("text").GetString());
        Assert.Equal(-32601, byId["3"].ErrorCode());
        Assert.Equal(-32600, byId["null"].ErrorCode());
        Assert.Equal(1, Volatile.Read(ref notes));
    }

    [Fact]
    public async Task An_empty_batch_is_one_invalid_request_and_a_batch_of_notifications_gets_no_answer()
    {
        await using var peer = new RawPeer(c => c.AddNotification("note", Json.EchoParams, (_, _) => ValueTask.CompletedTask));

        await peer.SendLineAsync("[]");
        var empty = await peer.ReadMessageAsync();
        await peer.SendLineAsync("""[{"jsonrpc":"2.0","method":"note","params":{}},{"jsonrpc":"2.0","method":"note"}]""");
        await peer.SendLineAsync("""{"jsonrpc":"2.0","id":"after","method":"nope"}""");
        var next = await peer.ReadMessageAsync();

        Assert.Equal(JsonValueKind.Object, empty.ValueKind);
        Assert.Equal(-32600, empty.ErrorCode());
        // The notifications-only batch produced nothing: the next line is the answer to "after".
        Assert.Equal("after", next.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_batch_over_the_length_limit_is_refused_whole()
    {
        await using var peer = new RawPeer(AddEcho, new JsonRpcConnectionOptions { MaxBatchLength = 3 });

        await peer.SendLineAsync("[1,2,3,4]");
        var reply = await peer.ReadMessageAsync();

        Assert.Equal(JsonValueKind.Object, reply.ValueKind);
        Assert.Equal(-32600, reply.ErrorCode());
    }

    [Fact]
    public async Task A_request_reusing_the_id_of_one_still_running_is_refused_and_the_first_still_answers()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var peer = new RawPeer(c => c.AddMethod("wait", Json.EchoParams, Json.EchoResult, async (p, _) =>
        {
            await release.Task;
            return new EchoResult { Text = p.Text };
        }));

        await peer.SendLineAsync("""{"id":1,"method":"wait","params":{"text":"first"}}""");
        await peer.SendLineAsync("""{"id":1,"method":"wait","params":{"text":"second"}}""");
        var refused = await peer.ReadMessageAsync();
        release.SetResult();
        var answered = await peer.ReadMessageAsync();

        Assert.Equal(-32600, refused.ErrorCode());
        Assert.Equal(1, refused.GetProperty("id").GetInt32());
        Assert.Equal("first", answered.GetProperty("result").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Peer_request_ids_live_apart_from_ours_even_when_they_collide()
    {
        // Codex app-server numbers its own requests from 0 while ours count from 1: the same number on the wire
        // is a request when it has "method" and an answer to us when it has "result".
        await using var peer = new RawPeer(c => c.AddMethod("item/commandExecution/requestApproval", Json.JsonElement, Json.JsonElement, (_, _) =>
            ValueTask.FromResult(JsonDocument.Parse("""{"decision":"accept"}""").RootElement.Clone())));

        var ours = peer.Connection.InvokeAsync("thread/start", Json.JsonElement);
        var sent = await peer.ReadMessageAsync();
        var ourId = sent.GetProperty("id").GetInt64();
        await peer.SendLineAsync($$$"""{"method":"item/commandExecution/requestApproval","id":{{{ourId}}},"params":{"kind":"command"}}""");
        var answerToPeer = await peer.ReadMessageAsync();
        await peer.SendLineAsync($$$"""{"id":{{{ourId}}},"result":{"thread":{"id":"t-1"} } }""");
        var result = await ours.Within();

        Assert.Equal(ourId, answerToPeer.GetProperty("id").GetInt64());
        Assert.Equal("accept", answerToPeer.GetProperty("result").GetProperty("decision").GetString());
        Assert.Equal("t-1", result.GetProperty("thread").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Codex_style_messages_without_jsonrpc_complete_our_calls_and_reach_our_handlers()
    {
        var notified = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var peer = new RawPeer(c => c.AddNotification("turn/completed", Json.JsonElement, (p, _) =>
        {
            notified.TrySetResult(p.GetProperty("turn").GetProperty("status").GetString()!);
            return ValueTask.CompletedTask;
        }));

        var call = peer.Connection.InvokeAsync("initialize", Json.JsonElement);
        var request = await peer.ReadMessageAsync();
        await peer.SendLineAsync($$$"""{"id":{{{request.GetProperty("id").GetInt64()}}},"result":{"userAgent":"probe/0.169.0","platformOs":"linux"}}""");
        await peer.SendLineAsync("""{"method":"turn/completed","params":{"threadId":"t","turn":{"id":"u","status":"completed"}},"emittedAtMs":1}""");

        Assert.Equal("linux", (await call.Within()).GetProperty("platformOs").GetString());
        Assert.Equal("completed", await notified.Task.Within());
        Assert.Equal("2.0", request.GetProperty("jsonrpc").GetString());
    }

    [Fact]
    public async Task Acp_cancel_request_cancels_a_running_handler_and_it_answers_request_cancelled()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var peer = new RawPeer(c => c.AddMethod("session/prompt", Json.EchoParams, Json.EchoResult, async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return new EchoResult();
        }));

        await peer.SendLineAsync("""{"jsonrpc":"2.0","id":"p1","method":"session/prompt","params":{}}""");
        await started.Task.Within();
        await peer.SendLineAsync("""{"jsonrpc":"2.0","method":"$/cancel_request","params":{"requestId":"p1"}}""");
        var reply = await peer.ReadMessageAsync();

        Assert.Equal("p1", reply.GetProperty("id").GetString());
        Assert.Equal(-32800, reply.ErrorCode());
    }

    [Fact]
    public async Task Our_cancellation_uses_the_acp_method_when_configured()
    {
        await using var peer = new RawPeer(options: new JsonRpcConnectionOptions { CancelRequestMethod = JsonRpcConnection.AcpCancelRequestMethod });
        using var cancel = new CancellationTokenSource();

        var call = peer.Connection.InvokeAsync("session/prompt", Json.JsonElement, cancel.Token);
        var request = await peer.ReadMessageAsync();
        cancel.Cancel();
        var notice = await peer.ReadMessageAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.Within());
        Assert.Equal("$/cancel_request", notice.GetProperty("method").GetString());
        Assert.Equal(request.GetProperty("id").GetInt64(), notice.GetProperty("params").GetProperty("requestId").GetInt64());
        Assert.False(notice.TryGetProperty("id", out _));
    }

    [Fact]
    public async Task A_late_answer_to_a_cancelled_call_is_ignored()
    {
        await using var peer = new RawPeer(AddEcho);
        using var cancel = new CancellationTokenSource();

        var call = peer.Connection.InvokeAsync("slow", Json.JsonElement, cancel.Token);
        var request = await peer.ReadMessageAsync();
        cancel.Cancel();
        var notice = await peer.ReadMessageAsync();
        await peer.SendLineAsync($$$"""{"jsonrpc":"2.0","id":{{{request.GetProperty("id").GetInt64()}}},"result":{}}""");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.Within());
        Assert.Equal("$/cancelRequest", notice.GetProperty("method").GetString());
        await AssertStillServesAsync(peer);
    }

    [Fact]
    public async Task A_result_that_does_not_fit_fails_the_call_with_invalid_response()
    {
        await using var peer = new RawPeer();

        var call = peer.Connection.InvokeAsync("count", Json.Int32);
        var request = await peer.ReadMessageAsync();
        await peer.SendLineAsync($$$"""{"jsonrpc":"2.0","id":{{{request.GetProperty("id").GetInt64()}}},"result":"not a number"}""");

        var error = await Assert.ThrowsAsync<AiSwitch.AiSwitchException>(() => call.Within());
        Assert.Equal(AiSwitch.ErrorId.RpcInvalidResponse, error.Id);
    }

    [Fact]
    public async Task A_message_too_large_to_send_fails_the_call_before_it_goes_out()
    {
        await using var peer = new RawPeer(options: new JsonRpcConnectionOptions { MaxMessageBytes = 1024 });

        var error = await Assert.ThrowsAsync<AiSwitch.AiSwitchException>(() =>
            peer.Connection.InvokeAsync("echo", new EchoParams { Text = new string('z', 2000) }, Json.EchoParams, Json.EchoResult).Within());

        Assert.Equal(AiSwitch.ErrorId.RpcMessageTooLarge, error.Id);
        Assert.Equal(0, peer.Connection.PendingCallCount);
    }
}
