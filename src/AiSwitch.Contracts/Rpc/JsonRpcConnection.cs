using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;

namespace AiSwitch.Rpc;

/// <summary>
/// JSON-RPC 2.0 over a pair of streams (a child's stdout to read, its stdin to write): one UTF-8 JSON message
/// per line. Both sides call each other on one connection: register handlers with <c>AddMethod</c>, call
/// <see cref="Start"/>, then <c>InvokeAsync</c> and <c>NotifyAsync</c> from any thread, many calls in flight.
/// </summary>
/// <remarks>
/// <para>One reading loop parses each line and starts its handler in arrival order, on that loop, up to the
/// handler's first await; so a handler must not block before it awaits (do heavy work after an await or on
/// <see cref="Task.Run(Action)"/>). One writing loop sends everything; nothing else writes to the output.</para>
/// <para>A bad line (malformed JSON, invalid UTF-8, too long, too deep) is answered with an error and the
/// connection goes on. When the peer closes its output or dies, every call still waiting fails at once with
/// <see cref="ErrorId.AgentNotResponding"/> (-40004) and <see cref="Completion"/> completes.</para>
/// </remarks>
public sealed partial class JsonRpcConnection : IAsyncDisposable
{
    /// <summary>The cancellation notification of LSP and StreamJsonRpc: <c>{"id": …}</c>.</summary>
    public const string CancelRequestMethod = "$/cancelRequest";

    /// <summary>The cancellation notification of the Agent Client Protocol: <c>{"requestId": …}</c>.</summary>
    public const string AcpCancelRequestMethod = "$/cancel_request";

    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(2);

    private readonly Stream _input;
    private readonly Stream _output;
    private readonly JsonRpcConnectionOptions _options;
    private readonly JsonReaderOptions _readerOptions;
    private readonly ConcurrentDictionary<string, MethodHandler> _methods = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, PendingCall> _pending = new();
    private readonly ConcurrentDictionary<JsonRpcId, IncomingRequest> _incoming = new();
    private readonly Channel<PooledBuffer> _outbox = Channel.CreateUnbounded<PooledBuffer>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource<JsonRpcCloseInfo> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastId;
    private long _queuedBytes;
    private int _started;
    private int _closed;
    private int _disposed;
    private Task _readLoop = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;
    private JsonRpcCloseInfo? _closeInfo;

    /// <param name="input">What the peer writes (a child's standard output).</param>
    /// <param name="output">What the peer reads (a child's standard input).</param>
    public JsonRpcConnection(Stream input, Stream output, JsonRpcConnectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        _options = options ?? new JsonRpcConnectionOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxMessageBytes, 64, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxDepth, 2, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxBatchLength, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxQueuedBytes, 64, nameof(options));
        if (_options.CancelRequestMethod is { Length: 0 })
        {
            throw new ArgumentException("CancelRequestMethod must be a method name, or null to send no cancellation.", nameof(options));
        }

        _input = input;
        _output = output;
        _readerOptions = new JsonReaderOptions { MaxDepth = _options.MaxDepth };
    }

    public JsonRpcConnectionOptions Options => _options;

    public string PeerName => _options.PeerName;

    /// <summary>Completes (never faults) when the connection closes, saying why.</summary>
    public Task<JsonRpcCloseInfo> Completion => _completion.Task;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>How many of our calls are waiting for their answers.</summary>
    public int PendingCallCount => _pending.Count;

    /// <summary>Cancelled when the connection closes; notification handlers get it as their token.</summary>
    internal CancellationToken ClosingToken => _closing.Token;

    /// <summary>Starts reading and writing. Register handlers first: a request for an unknown method gets -32601.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The JSON-RPC connection has already been started.");
        }

        _writeLoop = Task.Run(WriteLoopAsync);
        _readLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>Serves a method whose params and result have JSON contracts.</summary>
    public void AddMethod<TParams, TResult>(
        string name,
        JsonTypeInfo<TParams> paramsTypeInfo,
        JsonTypeInfo<TResult> resultTypeInfo,
        Func<TParams, CancellationToken, ValueTask<TResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(paramsTypeInfo);
        ArgumentNullException.ThrowIfNull(resultTypeInfo);
        ArgumentNullException.ThrowIfNull(handler);
        Register(new MethodHandler<TParams, TResult>(name, paramsTypeInfo, resultTypeInfo, handler));
    }

    public void AddMethod<TParams, TResult>(JsonRpcMethod<TParams, TResult> method, Func<TParams, CancellationToken, ValueTask<TResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(method);
        AddMethod(method.Name, method.ParamsTypeInfo, method.ResultTypeInfo, handler);
    }

    /// <summary>Serves a method that takes no params (any params sent are ignored).</summary>
    public void AddMethod<TResult>(string name, JsonTypeInfo<TResult> resultTypeInfo, Func<CancellationToken, ValueTask<TResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(resultTypeInfo);
        ArgumentNullException.ThrowIfNull(handler);
        Register(new MethodHandler<object?, TResult>(name, null, resultTypeInfo, (_, cancellationToken) => handler(cancellationToken)));
    }

    /// <summary>
    /// Serves a notification. Sent as a request instead, it is answered with a null result once the handler ends.
    /// The token is cancelled when the connection closes.
    /// </summary>
    public void AddNotification<TParams>(string name, JsonTypeInfo<TParams> paramsTypeInfo, Func<TParams, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(paramsTypeInfo);
        ArgumentNullException.ThrowIfNull(handler);
        Register(new MethodHandler<TParams, object?>(name, paramsTypeInfo, null, async (parameters, cancellationToken) =>
        {
            await handler(parameters, cancellationToken).ConfigureAwait(false);
            return null;
        }));
    }

    /// <summary>Calls a method and waits for its result, for at most <see cref="JsonRpcConnectionOptions.DefaultCallTimeout"/>.</summary>
    /// <exception cref="AiSwitchException">The peer answered with an error (its code mapped to an id, the wire error
    /// as the inner <see cref="JsonRpcRemoteException"/>), the call timed out (<see cref="ErrorId.RpcTimeout"/>), or
    /// the connection closed (<see cref="ErrorId.AgentNotResponding"/>).</exception>
    /// <exception cref="OperationCanceledException">The token fired; the peer was sent a cancellation notification.</exception>
    public Task<TResult> InvokeAsync<TParams, TResult>(
        string method,
        TParams parameters,
        JsonTypeInfo<TParams> paramsTypeInfo,
        JsonTypeInfo<TResult> resultTypeInfo,
        CancellationToken cancellationToken = default) =>
        InvokeAsync(method, parameters, paramsTypeInfo, resultTypeInfo, _options.DefaultCallTimeout, cancellationToken);

    /// <summary>Calls a method and waits for its result for at most <paramref name="timeout"/>.</summary>
    public Task<TResult> InvokeAsync<TParams, TResult>(
        string method,
        TParams parameters,
        JsonTypeInfo<TParams> paramsTypeInfo,
        JsonTypeInfo<TResult> resultTypeInfo,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paramsTypeInfo);
        ArgumentNullException.ThrowIfNull(resultTypeInfo);
        return Call(method, parameters, paramsTypeInfo, resultTypeInfo, timeout, cancellationToken);
    }

    public Task<TResult> InvokeAsync<TParams, TResult>(
        JsonRpcMethod<TParams, TResult> method,
        TParams parameters,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        return Call(method.Name, parameters, method.ParamsTypeInfo, method.ResultTypeInfo, _options.DefaultCallTimeout, cancellationToken);
    }

    public Task<TResult> InvokeAsync<TParams, TResult>(
        JsonRpcMethod<TParams, TResult> method,
        TParams parameters,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        return Call(method.Name, parameters, method.ParamsTypeInfo, method.ResultTypeInfo, timeout, cancellationToken);
    }

    /// <summary>Calls a method without params.</summary>
    public Task<TResult> InvokeAsync<TResult>(string method, JsonTypeInfo<TResult> resultTypeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resultTypeInfo);
        return Call<object?, TResult>(method, null, null, resultTypeInfo, _options.DefaultCallTimeout, cancellationToken);
    }

    /// <summary>Calls a method and waits for its answer, ignoring the result's value.</summary>
    public Task InvokeAsync<TParams>(string method, TParams parameters, JsonTypeInfo<TParams> paramsTypeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paramsTypeInfo);
        return Call<TParams, object?>(method, parameters, paramsTypeInfo, null, _options.DefaultCallTimeout, cancellationToken);
    }

    /// <summary>Sends a notification (no answer comes). Completes once the message is queued for writing.</summary>
    public ValueTask NotifyAsync<TParams>(string method, TParams parameters, JsonTypeInfo<TParams> paramsTypeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paramsTypeInfo);
        return Notify(method, parameters, paramsTypeInfo, cancellationToken);
    }

    /// <summary>Sends a method as a notification (no answer comes), such as <c>event.publish</c>.</summary>
    public ValueTask NotifyAsync<TParams, TResult>(JsonRpcMethod<TParams, TResult> method, TParams parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        return Notify(method.Name, parameters, method.ParamsTypeInfo, cancellationToken);
    }

    /// <summary>Sends a notification without params.</summary>
    public ValueTask NotifyAsync(string method, CancellationToken cancellationToken = default) =>
        Notify<object?>(method, null, null, cancellationToken);

    /// <summary>
    /// Closes the connection at once because something outside it knows the peer is gone (its process exited
    /// while a grandchild still holds the pipe open, or a supervisor gave up on it): every waiting call fails now
    /// with <see cref="ErrorId.AgentNotResponding"/> and <paramref name="reason"/>. Streams are left for
    /// <see cref="DisposeAsync"/>.
    /// </summary>
    /// <param name="reason">A sentence for users, such as "The agent process exited with code 137."</param>
    public void Abort(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        Close(JsonRpcCloseReason.Aborted, null, reason);
    }

    /// <summary>
    /// Stops the connection: queued messages are written (for up to two seconds), calls still waiting fail with
    /// <see cref="ErrorId.AgentNotResponding"/>, handlers' tokens are cancelled, and both streams are disposed
    /// unless <see cref="JsonRpcConnectionOptions.LeaveOpen"/> is set.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _outbox.Writer.TryComplete();
        await _writeLoop.WaitAsync(DisposeTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Close(JsonRpcCloseReason.Disposed, null);
        if (!_options.LeaveOpen)
        {
            await DisposeQuietlyAsync(_output).ConfigureAwait(false);
            await DisposeQuietlyAsync(_input).ConfigureAwait(false);
        }

        await _readLoop.WaitAsync(DisposeTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _writeLoop.WaitAsync(DisposeTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private static async ValueTask DisposeQuietlyAsync(Stream stream)
    {
        try
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // A pipe whose other end is gone may fail to flush on dispose; there is nothing left to save.
        }
    }

    private void Register(MethodHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(handler.Name);
        if (IsCancelMethod(handler.Name))
        {
            throw new ArgumentException($"'{handler.Name}' is handled by the connection itself.", nameof(handler));
        }

        if (!_methods.TryAdd(handler.Name, handler))
        {
            throw new InvalidOperationException($"A handler for '{handler.Name}' is already registered.");
        }
    }

    private static bool IsCancelMethod(string method) =>
        method.Equals(CancelRequestMethod, StringComparison.Ordinal) || method.Equals(AcpCancelRequestMethod, StringComparison.Ordinal);

    private void Log(string message)
    {
        try
        {
            _options.Log?.Invoke(message);
        }
        catch (Exception)
        {
            // A failing log sink must not take the connection down with it.
        }
    }

    /// <summary>Closes once: fails every waiting call at once, cancels handlers, stops the writer.</summary>
    private void Close(JsonRpcCloseReason reason, Exception? exception, string? message = null)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        var info = new JsonRpcCloseInfo(reason, message ?? DescribeClose(reason, exception), exception);
        Volatile.Write(ref _closeInfo, info);
        _outbox.Writer.TryComplete();
        _ = _closing.CancelAsync();
        foreach (var entry in _pending)
        {
            if (_pending.TryRemove(entry.Key, out var call))
            {
                call.Release();
                call.Fail(ClosedError(call.Method));
            }
        }

        foreach (var entry in _incoming)
        {
            entry.Value.Cancel();
        }

        Log($"Connection to '{PeerName}' closed: {info.Message}");
        _completion.TrySetResult(info);
    }

    private string DescribeClose(JsonRpcCloseReason reason, Exception? exception) => reason switch
    {
        JsonRpcCloseReason.PeerClosed => $"'{PeerName}' closed its end of the connection (its output ended; it exited or closed stdout).",
        JsonRpcCloseReason.ReadFailed => $"Reading from '{PeerName}' failed: {exception?.Message}",
        JsonRpcCloseReason.WriteFailed => $"Writing to '{PeerName}' failed (it closed its input or exited): {exception?.Message}",
        _ => $"The connection to '{PeerName}' was closed by this side.",
    };

    private AiSwitchException ClosedError(string method)
    {
        var info = Volatile.Read(ref _closeInfo);
        var reason = info?.Message ?? $"The connection to '{PeerName}' is closed.";
        if (info?.Reason == JsonRpcCloseReason.PeerNotReading)
        {
            return new AiSwitchException(ErrorId.AgentProtocolViolation, $"'{method}' got no answer: {reason}", PeerName);
        }

        return new AiSwitchException(
            ErrorId.AgentNotResponding,
            $"'{method}' got no answer: {reason} Check that '{PeerName}' is running (its stderr log says why it stopped) and restart it.",
            PeerName);
    }
}
