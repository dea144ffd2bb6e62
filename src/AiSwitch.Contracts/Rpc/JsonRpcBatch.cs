using System.Text.Json.Serialization.Metadata;

namespace AiSwitch.Rpc;

/// <summary>
/// Calls and notifications sent together as one JSON-RPC batch (one array on one line). Each call's task
/// completes on its own answer, whether the peer answers with an array or one response at a time.
/// </summary>
/// <example><code>
/// var batch = connection.CreateBatch();
/// var status = batch.AddCall(AgentProtocol.AgentStatus, EmptyParams.Instance);
/// var list = batch.AddCall(AgentProtocol.EnvListSnapshots, EmptyParams.Instance);
/// await batch.SendAsync();
/// await Task.WhenAll(status, list);
/// </code></example>
public sealed class JsonRpcBatch
{
    private readonly JsonRpcConnection _connection;
    private readonly List<Entry> _entries = [];
    private bool _sent;

    internal JsonRpcBatch(JsonRpcConnection connection)
    {
        _connection = connection;
    }

    public int Count => _entries.Count;

    public Task<TResult> AddCall<TParams, TResult>(JsonRpcMethod<TParams, TResult> method, TParams parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        return AddCall(method.Name, parameters, method.ParamsTypeInfo, method.ResultTypeInfo, cancellationToken);
    }

    /// <summary>Adds a call; its task completes once the batch is sent and the call answered.</summary>
    public Task<TResult> AddCall<TParams, TResult>(
        string method,
        TParams parameters,
        JsonTypeInfo<TParams> paramsTypeInfo,
        JsonTypeInfo<TResult> resultTypeInfo,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paramsTypeInfo);
        ArgumentNullException.ThrowIfNull(resultTypeInfo);
        EnsureRoom();
        var (call, message) = _connection.PrepareCall(method, parameters, paramsTypeInfo, resultTypeInfo);
        _entries.Add(new Entry(message, call, cancellationToken));
        return call.Task;
    }

    public void AddNotification<TParams>(string method, TParams parameters, JsonTypeInfo<TParams> paramsTypeInfo)
    {
        ArgumentNullException.ThrowIfNull(paramsTypeInfo);
        EnsureRoom();
        _entries.Add(new Entry(_connection.PrepareNotification(method, parameters, paramsTypeInfo), null, default));
    }

    /// <summary>Sends the batch. A batch over the message size limit fails each of its calls instead.</summary>
    public ValueTask SendAsync()
    {
        if (_sent)
        {
            throw new InvalidOperationException("This batch has already been sent.");
        }

        if (_entries.Count == 0)
        {
            throw new InvalidOperationException("An empty batch cannot be sent (JSON-RPC 2.0 forbids it); add a call or a notification first.");
        }

        _sent = true;
        _connection.SendBatch(_entries);
        return ValueTask.CompletedTask;
    }

    private void EnsureRoom()
    {
        if (_sent)
        {
            throw new InvalidOperationException("This batch has already been sent; start a new one with CreateBatch().");
        }

        if (_entries.Count >= _connection.Options.MaxBatchLength)
        {
            throw new InvalidOperationException($"A batch holds at most {_connection.Options.MaxBatchLength} entries (MaxBatchLength).");
        }
    }

    internal readonly record struct Entry(PooledBuffer Message, PendingCall? Call, CancellationToken CancellationToken);
}
