using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using AiSwitch.Agent.Tests.Support;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace AiSwitch.Agent.Tests.StreamJsonRpc;

/// <summary>
/// A StreamJsonRpc client, set up as docs/agents/streamjsonrpc.md says, driving the reference agent (AiSwitch's own
/// JSON-RPC and agent SDK): StreamJsonRpc's by-position calls, its reading of our error data, its cancellation.
/// </summary>
public sealed class StreamJsonRpcClientTests : IDisposable
{
    private readonly ReferenceAgentProcess _agent = ReferenceAgentProcess.Start("--metrics-ms", "0", "--heartbeat-ms", "0");
    private readonly Coordinator _served = new();
    private readonly JsonRpc _rpc;

    public StreamJsonRpcClientTests()
    {
        _rpc = new AiSwitchJsonRpc(new NewLineDelimitedMessageHandler(_agent.Input, _agent.Output, SnakeCase()));
        _rpc.AddLocalRpcTarget(_served, new JsonRpcTargetOptions { UseSingleObjectParameterDeserialization = true });
        _rpc.StartListening();
    }

    public void Dispose()
    {
        _rpc.Dispose();
        _agent.Dispose();
    }

    /// <summary>What docs/agents/streamjsonrpc.md sets up: snake_case members, no nulls written.</summary>
    internal static SystemTextJsonFormatter SnakeCase()
    {
        var formatter = new SystemTextJsonFormatter();
        formatter.JsonSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        formatter.JsonSerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        return formatter;
    }

    private Task<JsonElement> InitializeAsync() =>
        _rpc.InvokeAsync<JsonElement>("agent.initialize", new { agent_id = "sjr-client", protocol_version = "1.0.0", supported_features = new[] { "events", "cancellation" } });

    [Fact(Timeout = 60_000)]
    public async Task One_object_by_position_and_no_arguments_at_all_are_both_understood()
    {
        // InvokeAsync(method, obj) sends params:[obj]; InvokeAsync(method) sends params:[].
        var hello = await InitializeAsync().Within();
        var status = await _rpc.InvokeAsync<JsonElement>("agent.status").Within();

        Assert.Equal("sjr-client", hello.GetProperty("agent_id").GetString());
        Assert.Equal("sjr-client", status.GetProperty("agent_id").GetString());
        Assert.Equal("idle", status.GetProperty("status").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task The_error_id_in_error_data_reaches_a_StreamJsonRpc_caller()
    {
        await InitializeAsync().Within();

        var error = await Assert.ThrowsAsync<RemoteInvocationException>(() => _rpc.InvokeAsync<JsonElement>("task.result", new { task_id = "no-such-task" }).Within());

        Assert.Equal(-40101, error.ErrorCode);
        var data = Assert.IsType<AiSwitchErrorData>(error.DeserializedErrorData);
        Assert.Equal(("TaskNotFound", "no-such-task"), (data.ErrorId, data.Target));
    }

    [Fact(Timeout = 60_000)]
    public async Task Cancelling_a_task_assign_is_a_cancellation_to_StreamJsonRpc_and_the_connection_goes_on()
    {
        await InitializeAsync().Within();
        await _rpc.InvokeAsync<JsonElement>("event.subscribe", new { event_types = new[] { "task.started" } }).Within();
        using var cancel = new CancellationTokenSource();

        var hung = _rpc.InvokeWithCancellationAsync<JsonElement>(
            "task.assign", [new { task = new { id = "t-hung", prompt = "wait", metadata = new { hang = true } } }], cancel.Token);
        Assert.Equal("t-hung", await _served.StartedTasks.Reader.ReadAsync().AsTask().Within());
        await cancel.CancelAsync();

        // StreamJsonRpc sends $/cancelRequest; the agent's -32800 answer is what makes this a cancellation, not an error.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hung.Within());
        var status = await _rpc.InvokeAsync<JsonElement>("task.status", new { task_id = "t-hung" }).Within();
        Assert.Equal("cancelled", status.GetProperty("status").GetString());
    }

    /// <summary>
    /// JSON-RPC 2.0 (section 5) says the answer to a message whose id cannot be read has <c>"id":null</c>, and AiSwitch
    /// sends exactly that. StreamJsonRpc 2.26 takes such an answer as a protocol violation and closes the connection (and
    /// with it the pipes). This pins the interop limit docs/agents/streamjsonrpc.md describes, so a change in either shows here.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task A_null_id_error_for_a_line_nobody_can_read_makes_StreamJsonRpc_close_the_connection()
    {
        await InitializeAsync().Within();

        // Written beside StreamJsonRpc while it is idle: a line no JSON-RPC peer can read, so its answer has "id":null.
        await _agent.Input.WriteAsync(Encoding.UTF8.GetBytes("{oops}\n"));
        await _agent.Input.FlushAsync();

        var lost = await Assert.ThrowsAnyAsync<Exception>(() => _rpc.InvokeAsync<JsonElement>("agent.status").Within());

        Assert.True(lost is ConnectionLostException or ObjectDisposedException, lost.ToString());
        await _rpc.Completion.ContinueWith(static _ => { }, TaskScheduler.Default).Within(); // the connection is over, not just this call
    }

    /// <summary>
    /// StreamJsonRpc reads <c>error.data</c> as its own CommonErrorData (a .NET type name and stack), which has no
    /// <c>error_id</c>; a caller that names the type it wants reads AiSwitch's. docs/agents/streamjsonrpc.md shows this.
    /// </summary>
    private sealed class AiSwitchJsonRpc(IJsonRpcMessageHandler handler) : JsonRpc(handler)
    {
        protected override Type GetErrorDetailsDataType(JsonRpcError error) => typeof(AiSwitchErrorData);
    }

    /// <summary>What the coordinator serves the agent here: its task events.</summary>
    private sealed class Coordinator
    {
        public Channel<string> StartedTasks { get; } = Channel.CreateUnbounded<string>();

        [JsonRpcMethod("event.publish")]
        public void Published(PublishedEvent e)
        {
            if (e.EventType == "task.started" && e.Data.TryGetValue("task_id", out var id))
            {
                StartedTasks.Writer.TryWrite(id);
            }
        }
    }
}

public sealed record AiSwitchErrorData(string? ErrorId, string? Target);

public sealed record PublishedEvent(string EventType, Dictionary<string, string> Data);
