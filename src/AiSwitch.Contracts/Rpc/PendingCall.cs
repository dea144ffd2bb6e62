using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AiSwitch.Rpc;

/// <summary>
/// One of our calls waiting for its answer. Whoever removes it from the connection's pending table
/// (the answer, a cancellation, a timeout, the connection closing) completes it; nobody else can.
/// </summary>
internal abstract class PendingCall
{
    protected PendingCall(JsonRpcConnection connection, string method)
    {
        Connection = connection;
        Method = method;
    }

    public JsonRpcConnection Connection { get; }

    public string Method { get; }

    public long Id { get; set; }

    public CancellationTokenRegistration CancelRegistration { get; set; }

    public CancellationTokenSource? TimeoutSource { get; set; }

    public abstract bool IsCompleted { get; }

    /// <summary>Deserializes the result on the reading loop; throws <see cref="JsonException"/> when it does not fit.</summary>
    public abstract void Complete(ReadOnlySpan<byte> resultJson);

    public abstract void Fail(Exception exception);

    public abstract void Cancel(CancellationToken cancellationToken);

    /// <summary>Drops the cancellation and timeout hooks once the call is settled.</summary>
    public void Release()
    {
        CancelRegistration.Unregister();
        TimeoutSource?.Dispose();
    }
}

internal sealed class PendingCall<TResult> : PendingCall
{
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly JsonTypeInfo<TResult>? _resultTypeInfo;

    /// <param name="resultTypeInfo">Null when the caller ignores the result.</param>
    public PendingCall(JsonRpcConnection connection, string method, JsonTypeInfo<TResult>? resultTypeInfo)
        : base(connection, method)
    {
        _resultTypeInfo = resultTypeInfo;
    }

    public Task<TResult> Task => _completion.Task;

    public override bool IsCompleted => _completion.Task.IsCompleted;

    public override void Complete(ReadOnlySpan<byte> resultJson)
    {
        var result = _resultTypeInfo is null ? default! : JsonSerializer.Deserialize(resultJson, _resultTypeInfo)!;
        _completion.TrySetResult(result);
    }

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override void Cancel(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);
}
