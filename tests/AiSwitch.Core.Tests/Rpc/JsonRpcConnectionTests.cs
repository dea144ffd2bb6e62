using System.Text.Json;
using AiSwitch.Rpc;
using Xunit;

namespace AiSwitch.Core.Tests.Rpc;

public sealed class JsonRpcConnectionTests
{
    private static readonly TestJsonContext Json = TestJsonContext.Default;

    private static void AddEcho(JsonRpcConnection connection, string prefix = "") =>
        connection.AddMethod("echo", Json.EchoParams, Json.EchoResult, async (p, ct) =>
        {
            if (p.DelayMs > 0)
            {
                await Task.Delay(p.DelayMs, ct);
            }

            return new EchoResult { Text = prefix + p.Text };
        });

    [Fact]
    public async Task A_call_gets_its_typed_result()
    {
        await using var pair = RpcPair.Create((_, server) => AddEcho(server, "re: "));

        var result = await pair.Client.InvokeAsync("echo", new EchoParams { Text = "hi" }, Json.EchoParams, Json.EchoResult).Within();

        Assert.Equal("re: hi", result.Text);
    }

    [Fact]
    public async Task Both_sides_call_each_other_on_one_connection()
    {
        await using var pair = RpcPair.Create((client, server) =>
        {
            AddEcho(client, "client: ");
            server.AddMethod("ask-back", Json.EchoParams, Json.EchoResult, async (p, ct) =>
            {
                // The server calls the client while the client's call to it is still waiting.
                var inner = await server.InvokeAsync("echo", p, Json.EchoParams, Json.EchoResult, ct);
                return new EchoResult { Text = "server saw " + inner.Text };
            });
        });

        var result = await pair.Client.InvokeAsync("ask-back", new EchoParams { Text = "x" }, Json.EchoParams, Json.EchoResult).Within();

        Assert.Equal("server saw client: x", result.Text);
    }

    [Fact]
    public async Task A_thousand_calls_in_flight_in_both_directions_all_get_their_own_answers()
    {
        await using var pair = RpcPair.Create((client, server) =>
        {
            AddEcho(client, "c");
            AddEcho(server, "s");
        });

        var calls = new List<Task<(string Expected, EchoResult Result)>>();
        for (var i = 0; i < 1000; i++)
        {
            var text = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var delay = i % 7;
            calls.Add(Call(pair.Client, "s" + text, text, delay));
            calls.Add(Call(pair.Server, "c" + text, text, delay));
        }

        // Two thousand calls: on a loaded machine (CI beside builds) they take far longer than one call's usual limit.
        var results = await Task.WhenAll(calls).Within(TimeSpan.FromMinutes(3));

        Assert.All(results, r => Assert.Equal(r.Expected, r.Result.Text));
        Assert.Equal(0, pair.Client.PendingCallCount);
        Assert.Equal(0, pair.Server.PendingCallCount);

        static async Task<(string, EchoResult)> Call(JsonRpcConnection connection, string expected, string text, int delay) =>
            (expected, await connection.InvokeAsync("echo", new EchoParams { Text = text, DelayMs = delay }, Json.EchoParams, Json.EchoResult));
    }

    [Fact]
    public async Task Notifications_arrive_in_order()
    {
        var seen = new List<string>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pair = RpcPair.Create((_, server) => server.AddNotification("note", Json.EchoParams, (p, _) =>
        {
            seen.Add(p.Text);
            if (seen.Count == 200)
            {
                all.SetResult();
            }

            return ValueTask.CompletedTask;
        }));

        for (var i = 0; i < 200; i++)
        {
            await pair.Client.NotifyAsync("note", new EchoParams { Text = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }, Json.EchoParams);
        }

        await all.Task.Within();
        Assert.Equal(Enumerable.Range(0, 200).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), seen);
    }

    [Fact]
    public async Task An_unknown_method_fails_the_call_with_method_not_found()
    {
        await using var pair = RpcPair.Create((_, server) => AddEcho(server));

        var error = await Assert.ThrowsAsync<AiSwitchException>(() => pair.Client.InvokeAsync("nope", Json.EchoResult).Within());

        Assert.Equal(ErrorId.RpcMethodNotFound, error.Id);
        var remote = Assert.IsType<JsonRpcRemoteException>(error.InnerException);
        Assert.Equal(-32601, remote.Code);
        Assert.Contains("echo", remote.Message, StringComparison.Ordinal);
        Assert.Equal("nope", remote.ErrorData!.Value.GetProperty("method").GetString());
    }

    [Fact]
    public async Task A_handler_throwing_an_AiSwitch_error_reaches_the_caller_with_its_id_and_code()
    {
        await using var pair = RpcPair.Create((_, server) => server.AddMethod<EchoParams, EchoResult>("find", Json.EchoParams, Json.EchoResult, (p, _) =>
            throw new AiSwitchException(ErrorId.SnapshotAlreadyExists, $"Snapshot '{p.Text}' already exists.", p.Text)));

        var error = await Assert.ThrowsAsync<AiSwitchException>(() => pair.Client.InvokeAsync("find", new EchoParams { Text = "s1" }, Json.EchoParams, Json.EchoResult).Within());

        // An AiSwitch code no seed table lists: data.error_id names the id, and the code agrees with it.
        Assert.Equal(ErrorId.SnapshotAlreadyExists, error.Id);
        Assert.Equal(-41206, error.Code);
        Assert.Equal(-41206, ((JsonRpcRemoteException)error.InnerException!).Code);
        Assert.Contains("Snapshot 's1' already exists.", error.Message, StringComparison.Ordinal);
        Assert.Equal("s1", ((JsonRpcRemoteException)error.InnerException!).ErrorData!.Value.GetProperty("target").GetString());
    }

    [Fact]
    public async Task A_handler_crash_becomes_an_internal_error_and_the_connection_goes_on()
    {
        await using var pair = RpcPair.Create((_, server) =>
        {
            AddEcho(server);
            server.AddMethod<EchoParams, EchoResult>("boom", Json.EchoParams, Json.EchoResult, (_, _) => throw new InvalidOperationException("kaput"));
        });

        var error = await Assert.ThrowsAsync<AiSwitchException>(() => pair.Client.InvokeAsync("boom", new EchoParams(), Json.EchoParams, Json.EchoResult).Within());
        var after = await pair.Client.InvokeAsync("echo", new EchoParams { Text = "still here" }, Json.EchoParams, Json.EchoResult).Within();

        Assert.Equal(ErrorId.RpcRemoteError, error.Id);
        Assert.Equal(-32603, ((JsonRpcRemoteException)error.InnerException!).Code);
        Assert.Contains("kaput", error.Message, StringComparison.Ordinal);
        Assert.Equal("still here", after.Text);
    }

    [Fact]
    public async Task Params_that_do_not_fit_are_invalid_params()
    {
        await using var pair = RpcPair.Create((_, server) => server.AddMethod("count", Json.Int32, Json.Int32, (n, _) => ValueTask.FromResult(n + 1)));

        var error = await Assert.ThrowsAsync<AiSwitchException>(() => pair.Client.InvokeAsync("count", "three", Json.String, Json.Int32).Within());

        Assert.Equal(ErrorId.RpcInvalidParams, error.Id);
        Assert.Equal(-32602, error.Code);
    }

    [Fact]
    public async Task Cancelling_a_call_sends_cancel_request_and_the_peer_handler_sees_its_token_cancelled()
    {
        var handlerCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handlerStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pair = RpcPair.Create((_, server) => server.AddMethod("hang", Json.EchoParams, Json.EchoResult, async (_, ct) =>
        {
            using var registration = ct.Register(handlerCancelled.SetResult);
            handlerStarted.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return new EchoResult();
        }));
        using var cancel = new CancellationTokenSource();

        var call = pair.Client.InvokeAsync("hang", new EchoParams(), Json.EchoParams, Json.EchoResult, cancel.Token);
        await handlerStarted.Task.Within();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.Within());
        await handlerCancelled.Task.Within();
        Assert.Equal(0, pair.Client.PendingCallCount);
    }

    [Fact]
    public async Task A_call_times_out_with_rpc_timeout_and_the_peer_is_told_to_stop()
    {
        var handlerCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pair = RpcPair.Create((_, server) => server.AddMethod("hang", Json.EchoParams, Json.EchoResult, async (_, ct) =>
        {
            using var registration = ct.Register(handlerCancelled.SetResult);
            await Task.Delay(Timeout.Infinite, ct);
            return new EchoResult();
        }));

        var error = await Assert.ThrowsAsync<AiSwitchException>(() =>
            pair.Client.InvokeAsync("hang", new EchoParams(), Json.EchoParams, Json.EchoResult, TimeSpan.FromMilliseconds(200)).Within());

        Assert.Equal(ErrorId.RpcTimeout, error.Id);
        Assert.Equal(-41501, error.Code);
        await handlerCancelled.Task.Within();
    }

    [Fact]
    public async Task A_peer_that_closes_its_output_fails_every_pending_call_at_once_with_agent_not_responding()
    {
        await using var peer = new RawPeer();
        var calls = Enumerable.Range(0, 50)
            .Select(_ => peer.Connection.InvokeAsync("hang", new EchoParams(), Json.EchoParams, Json.EchoResult, TimeSpan.FromMinutes(5)))
            .ToList();
        for (var i = 0; i < 50; i++)
        {
            await peer.ReadLineAsync();
        }

        await peer.CloseInputAsync();

        // "At once" is the cause: each call fails because the peer closed, long before its 5-minute timeout.
        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<AiSwitchException>(() => call.Within());
            Assert.Equal(ErrorId.AgentNotResponding, error.Id);
            Assert.Equal(-40004, error.Code);
            Assert.Contains("closed its end of the connection", error.Message, StringComparison.Ordinal);
        }

        var closed = await peer.Connection.Completion.Within();
        Assert.Equal(JsonRpcCloseReason.PeerClosed, closed.Reason);
        var late = await Assert.ThrowsAsync<AiSwitchException>(() => peer.Connection.InvokeAsync("echo", new EchoParams(), Json.EchoParams, Json.EchoResult).Within());
        Assert.Equal(ErrorId.AgentNotResponding, late.Id);
    }

    [Fact]
    public async Task Over_real_os_pipes_calls_work_and_closing_one_side_fails_the_others_pending_calls()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pair = RpcPair.CreateOverOsPipes((_, server) =>
        {
            AddEcho(server, "os: ");
            server.AddMethod("hang", Json.EchoParams, Json.EchoResult, async (_, ct) =>
            {
                started.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
                return new EchoResult();
            });
        });
        await using (pair)
        {
            var result = await pair.Client.InvokeAsync("echo", new EchoParams { Text = "pipe" }, Json.EchoParams, Json.EchoResult).Within();
            Assert.Equal("os: pipe", result.Text);

            var hung = pair.Client.InvokeAsync("hang", new EchoParams(), Json.EchoParams, Json.EchoResult, TimeSpan.FromMinutes(5));
            await started.Task.Within();
            await pair.Server.DisposeAsync();

            var error = await Assert.ThrowsAsync<AiSwitchException>(() => hung.Within());
            Assert.Equal(ErrorId.AgentNotResponding, error.Id);
            Assert.DoesNotContain("in time", error.Message, StringComparison.Ordinal); // the close failed it, not its 5-minute timeout
        }
    }

    [Fact]
    public async Task Abort_fails_pending_calls_at_once_with_the_reason_given()
    {
        await using var peer = new RawPeer();
        var call = peer.Connection.InvokeAsync("hang", Json.EchoResult);
        await peer.ReadLineAsync();

        peer.Connection.Abort("The agent process exited with code 137.");

        var error = await Assert.ThrowsAsync<AiSwitchException>(() => call.Within(TimeSpan.FromSeconds(5)));
        Assert.Equal(ErrorId.AgentNotResponding, error.Id);
        Assert.Contains("exited with code 137", error.Message, StringComparison.Ordinal);
        Assert.Equal(JsonRpcCloseReason.Aborted, (await peer.Connection.Completion.Within()).Reason);
    }

    [Fact]
    public async Task Disposing_while_the_peer_never_reads_ends_in_bounded_time_and_fails_pending_calls()
    {
        await using var peer = new RawPeer();
        var big = new EchoParams { Text = new string('w', 8 * 1024) };
        for (var i = 0; i < 64; i++)
        {
            await peer.Connection.NotifyAsync("fill", big, Json.EchoParams);
        }

        var call = peer.Connection.InvokeAsync("echo", big, Json.EchoParams, Json.EchoResult);

        // Bounded is the point, so the bound is generous: without the fix dispose waits forever on the blocked write.
        await peer.Connection.DisposeAsync().AsTask().Within(TimeSpan.FromMinutes(1));

        Assert.Equal(ErrorId.AgentNotResponding, (await Assert.ThrowsAsync<AiSwitchException>(() => call.Within())).Id);
    }

    [Fact]
    public async Task A_log_sink_that_throws_does_not_stop_the_connection()
    {
        await using var peer = new RawPeer(
            c => AddEcho(c),
            new JsonRpcConnectionOptions { Log = _ => throw new InvalidOperationException("log is broken") });

        await peer.SendLineAsync("{oops");
        var parseError = await peer.ReadMessageAsync();
        await peer.SendLineAsync("""{"id":1,"method":"echo","params":{"text":"ok"}}""");
        var reply = await peer.ReadMessageAsync();

        Assert.Equal(-32700, parseError.ErrorCode());
        Assert.Equal("ok", reply.GetProperty("result").GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_real_child_process_killed_mid_call_fails_the_call_at_once_not_after_its_timeout()
    {
        var start = OperatingSystem.IsWindows()
            ? new System.Diagnostics.ProcessStartInfo("cmd.exe", "/c ping -n 120 127.0.0.1 >nul")
            : new System.Diagnostics.ProcessStartInfo("sleep", "120");
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        using var child = System.Diagnostics.Process.Start(start)!;
        await using var connection = new JsonRpcConnection(
            child.StandardOutput.BaseStream,
            child.StandardInput.BaseStream,
            new JsonRpcConnectionOptions { PeerName = "agent 'sleeper'" });
        connection.Start();
        var call = connection.InvokeAsync("task.assign", new EchoParams(), Json.EchoParams, Json.EchoResult, TimeSpan.FromMinutes(2));

        child.Kill(entireProcessTree: true);

        var error = await Assert.ThrowsAsync<AiSwitchException>(() => call.Within(TimeSpan.FromSeconds(30)));
        Assert.Equal(ErrorId.AgentNotResponding, error.Id);
        Assert.Contains("agent 'sleeper'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("in time", error.Message, StringComparison.Ordinal); // failed by the exit, not its 2-minute timeout
    }

    [Fact]
    public async Task With_no_cancel_method_a_cancelled_call_ends_without_a_notification()
    {
        await using var peer = new RawPeer(options: new JsonRpcConnectionOptions { CancelRequestMethod = null });
        using var cancel = new CancellationTokenSource();

        var call = peer.Connection.InvokeAsync("turn/start", Json.JsonElement, cancel.Token);
        await peer.ReadLineAsync();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.Within());
        await peer.Connection.NotifyAsync("marker");
        var next = await peer.ReadMessageAsync();

        Assert.Equal("marker", next.GetProperty("method").GetString());
    }

    [Fact]
    public async Task On_the_thread_pool_a_handler_that_blocks_does_not_hold_up_other_calls()
    {
        using var release = new ManualResetEventSlim();
        await using var pair = RpcPair.Create(
            (_, server) =>
            {
                AddEcho(server);
                server.AddMethod("block", Json.EchoParams, Json.EchoResult, (p, _) =>
                {
                    release.Wait(Bounded.Limit);
                    return ValueTask.FromResult(new EchoResult { Text = p.Text });
                });
            },
            serverOptions: new JsonRpcConnectionOptions { RunHandlersOnThreadPool = true });

        var blocked = pair.Client.InvokeAsync("block", new EchoParams { Text = "late" }, Json.EchoParams, Json.EchoResult);
        var quick = await pair.Client.InvokeAsync("echo", new EchoParams { Text = "quick" }, Json.EchoParams, Json.EchoResult).Within();
        var stillBlocked = !blocked.IsCompleted;
        release.Set();

        Assert.Equal("quick", quick.Text);
        Assert.True(stillBlocked);
        Assert.Equal("late", (await blocked.Within()).Text);
    }

    [Fact]
    public async Task Cancellations_and_timeouts_racing_answers_leave_nothing_pending_and_every_call_settled()
    {
        const int calls = 2000;
        var handlersEnded = 0;
        var allEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pair = RpcPair.CreateOverOsPipes((_, server) => server.AddMethod("maybe", Json.EchoParams, Json.EchoResult, async (p, ct) =>
        {
            try
            {
                if (p.DelayMs > 0)
                {
                    await Task.Delay(p.DelayMs, ct);
                }

                return new EchoResult { Text = p.Text };
            }
            finally
            {
                if (Interlocked.Increment(ref handlersEnded) == calls)
                {
                    allEnded.SetResult();
                }
            }
        }));
        await using (pair)
        {
            var random = new Random(1234);
            var outcomes = new int[3];
            using var gate = new SemaphoreSlim(64);
            var tasks = new List<Task>();
            for (var i = 0; i < calls; i++)
            {
                var kind = random.Next(3);
                var delay = random.Next(0, 4);
                var cancelAfter = random.Next(0, 3);
                await gate.WaitAsync();
                tasks.Add(Run(i, kind, delay, cancelAfter));
            }

            await Task.WhenAll(tasks).Within();
            await allEnded.Task.Within();

            Assert.Equal(0, pair.Client.PendingCallCount);
            Assert.Equal(calls, outcomes.Sum());
            Assert.True(outcomes.All(n => n > 0), $"Answered {outcomes[0]}, cancelled {outcomes[1]}, timed out {outcomes[2]}: each kind must occur.");

            async Task Run(int i, int kind, int delay, int cancelAfter)
            {
                using var cancel = new CancellationTokenSource();
                try
                {
                    var p = new EchoParams { Text = $"{i}", DelayMs = delay };
                    var call = kind == 2
                        ? pair.Client.InvokeAsync("maybe", p, Json.EchoParams, Json.EchoResult, TimeSpan.FromMilliseconds(1 + cancelAfter))
                        : pair.Client.InvokeAsync("maybe", p, Json.EchoParams, Json.EchoResult, cancel.Token);
                    if (kind == 1)
                    {
                        cancel.CancelAfter(cancelAfter);
                    }

                    var result = await call;
                    Assert.Equal($"{i}", result.Text);
                    Interlocked.Increment(ref outcomes[0]);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref outcomes[1]);
                }
                catch (AiSwitchException ex) when (ex.Id == ErrorId.RpcTimeout)
                {
                    Interlocked.Increment(ref outcomes[2]);
                }
                finally
                {
                    gate.Release();
                }
            }
        }
    }
}
