using AiSwitch.Rpc;
using Xunit;

namespace AiSwitch.Core.Tests.Rpc;

/// <summary>
/// What StreamJsonRpc sends: <c>InvokeAsync(method, obj)</c> is <c>params:[obj]</c>, <c>InvokeAsync(method)</c> is
/// <c>params:[]</c>, and it cancels with <c>$/cancelRequest</c> expecting -32800 back (issue 14 item 4).
/// </summary>
public sealed class JsonRpcByPositionTests
{
    private static readonly TestJsonContext Json = TestJsonContext.Default;

    private static void AddEcho(JsonRpcConnection connection) =>
        connection.AddMethod("echo", Json.EchoParams, Json.EchoResult, (p, _) => ValueTask.FromResult(new EchoResult { Text = "got:" + p.Text }));

    [Fact]
    public async Task A_single_object_by_position_is_that_methods_params()
    {
        await using var peer = new RawPeer(AddEcho);

        await peer.SendLineAsync("""{"jsonrpc":"2.0","id":1,"method":"echo","params":[{"text":"by position"}]}""");
        var reply = await peer.ReadMessageAsync();

        Assert.Equal("got:by position", reply.GetProperty("result").GetProperty("text").GetString());
    }

    [Fact]
    public async Task An_empty_array_is_no_params()
    {
        await using var peer = new RawPeer(AddEcho);

        await peer.SendLineAsync("""{"jsonrpc":"2.0","id":2,"method":"echo","params":[]}""");
        var reply = await peer.ReadMessageAsync();

        Assert.Equal("got:", reply.GetProperty("result").GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("""[{"text":"a"},{"text":"b"}]""")]
    [InlineData("""["a"]""")]
    [InlineData("""[[{"text":"a"}]]""")]
    public async Task Any_other_array_is_still_invalid_params(string parameters)
    {
        await using var peer = new RawPeer(AddEcho);

        await peer.SendLineAsync($$"""{"jsonrpc":"2.0","id":3,"method":"echo","params":{{parameters}}}""");
        var reply = await peer.ReadMessageAsync();

        Assert.Equal(-32602, reply.ErrorCode());
    }

    [Fact]
    public async Task A_handler_that_ends_a_request_the_caller_cancelled_as_task_cancelled_answers_request_cancelled()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var peer = new RawPeer(connection => connection.AddMethod("work", Json.EchoParams, Json.EchoResult, async (_, token) =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                // What the agent SDK does: a cancelled task is the protocol's TaskCancelled.
                throw new AiSwitchException(ErrorId.TaskCancelled, "Task 't-1' was cancelled: the caller cancelled it.", "t-1");
            }

            return new EchoResult();
        }));

        await peer.SendLineAsync("""{"jsonrpc":"2.0","id":5,"method":"work","params":{}}""");
        await started.Task.Within();
        await peer.SendLineAsync("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":5}}""");
        var reply = await peer.ReadMessageAsync();

        Assert.Equal(5, reply.GetProperty("id").GetInt32());
        Assert.Equal(JsonRpcErrorCodes.RequestCancelled, reply.ErrorCode());
        Assert.Equal("RpcRequestCancelled", reply.GetProperty("error").GetProperty("data").GetProperty("error_id").GetString());
    }

    [Fact]
    public async Task Task_cancelled_without_the_callers_cancel_request_stays_task_cancelled()
    {
        await using var peer = new RawPeer(connection => connection.AddMethod("work", Json.EchoParams, Json.EchoResult,
            (_, _) => throw new AiSwitchException(ErrorId.TaskCancelled, "Task 't-2' was cancelled by task.cancel.", "t-2")));

        await peer.SendLineAsync("""{"jsonrpc":"2.0","id":6,"method":"work","params":{}}""");
        var reply = await peer.ReadMessageAsync();

        Assert.Equal(-40104, reply.ErrorCode());
    }
}
