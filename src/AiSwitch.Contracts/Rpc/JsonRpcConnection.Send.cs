using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;

namespace AiSwitch.Rpc;

/// <content>Outgoing calls, notifications and responses, and the one loop that writes them.</content>
public sealed partial class JsonRpcConnection
{
    private const int WriteChunkBytes = 64 * 1024;

    private static readonly JsonEncodedText JsonRpcProperty = JsonEncodedText.Encode("jsonrpc");
    private static readonly JsonEncodedText VersionValue = JsonEncodedText.Encode("2.0");
    private static readonly JsonEncodedText IdProperty = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText MethodProperty = JsonEncodedText.Encode("method");
    private static readonly JsonEncodedText ParamsProperty = JsonEncodedText.Encode("params");
    private static readonly JsonEncodedText ResultProperty = JsonEncodedText.Encode("result");
    private static readonly JsonEncodedText ErrorProperty = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText CodeProperty = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText MessageProperty = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText DataProperty = JsonEncodedText.Encode("data");

    private Task<TResult> Call<TParams, TResult>(
        string method,
        TParams parameters,
        JsonTypeInfo<TParams>? paramsTypeInfo,
        JsonTypeInfo<TResult>? resultTypeInfo,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            EnsureStarted();
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        var (call, message) = PrepareCall(method, parameters, paramsTypeInfo, resultTypeInfo);
        if (message.Length > _options.MaxMessageBytes)
        {
            var length = message.Length;
            message.Return();
            return Task.FromException<TResult>(TooLargeToSend(method, length));
        }

        if (!Track(call, timeout, cancellationToken))
        {
            message.Return();
        }
        else if (!Enqueue(message))
        {
            FailIfPending(call.Id, ClosedError(method));
        }

        return call.Task;
    }

    /// <summary>Gives a call its id and serializes its request (without sending it).</summary>
    internal (PendingCall<TResult> Call, PooledBuffer Message) PrepareCall<TParams, TResult>(
        string method,
        TParams parameters,
        JsonTypeInfo<TParams>? paramsTypeInfo,
        JsonTypeInfo<TResult>? resultTypeInfo)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        EnsureStarted();
        var call = new PendingCall<TResult>(this, method, resultTypeInfo) { Id = Interlocked.Increment(ref _lastId) };
        return (call, SerializeRequest(call.Id, method, parameters, paramsTypeInfo));
    }

    internal PooledBuffer PrepareNotification<TParams>(string method, TParams parameters, JsonTypeInfo<TParams>? paramsTypeInfo)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        EnsureStarted();
        return SerializeRequest(null, method, parameters, paramsTypeInfo);
    }

    /// <summary>
    /// Puts a call in the pending table with its cancellation and timeout hooks. False when it is already settled
    /// (the connection closed, or the token fired meanwhile): then its request must not go out.
    /// </summary>
    internal bool Track(PendingCall call, TimeSpan timeout, CancellationToken cancellationToken)
    {
        _pending[call.Id] = call;
        if (IsClosed)
        {
            // Close may have swept the table before this call was added: whoever removes it fails it.
            FailIfPending(call.Id, ClosedError(call.Method));
            return false;
        }

        if (cancellationToken.CanBeCanceled)
        {
            call.CancelRegistration = cancellationToken.UnsafeRegister(static (state, token) => ((PendingCall)state!).Connection.OnCallCancelled((PendingCall)state!, token), call);
        }

        if (timeout != Timeout.InfiniteTimeSpan)
        {
            var timer = new CancellationTokenSource(timeout);
            call.TimeoutSource = timer;
            timer.Token.UnsafeRegister(static (state, _) => ((PendingCall)state!).Connection.OnCallTimedOut((PendingCall)state!), call);
        }

        return !call.IsCompleted;
    }

    /// <summary>Starts a batch of calls and notifications that go out together as one JSON array.</summary>
    public JsonRpcBatch CreateBatch() => new(this);

    internal void SendBatch(List<JsonRpcBatch.Entry> entries)
    {
        var message = PooledBuffer.JoinArray(entries.ConvertAll(static entry => entry.Message));
        if (message.Length > _options.MaxMessageBytes)
        {
            var length = message.Length;
            message.Return();
            foreach (var entry in entries)
            {
                entry.Call?.Fail(TooLargeToSend("a batch", length));
            }

            return;
        }

        foreach (var entry in entries)
        {
            if (entry.Call is { } call)
            {
                Track(call, _options.DefaultCallTimeout, entry.CancellationToken);
            }
        }

        if (!Enqueue(message))
        {
            foreach (var entry in entries)
            {
                if (entry.Call is { } call)
                {
                    FailIfPending(call.Id, ClosedError(call.Method));
                }
            }
        }
    }

    private ValueTask Notify<TParams>(string method, TParams parameters, JsonTypeInfo<TParams>? paramsTypeInfo, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            EnsureStarted();
            return ValueTask.FromCanceled(cancellationToken);
        }

        var message = PrepareNotification(method, parameters, paramsTypeInfo);
        if (message.Length > _options.MaxMessageBytes)
        {
            var length = message.Length;
            message.Return();
            return ValueTask.FromException(TooLargeToSend(method, length));
        }

        return Enqueue(message) ? ValueTask.CompletedTask : ValueTask.FromException(ClosedError(method));
    }

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _started) == 0)
        {
            throw new InvalidOperationException("Call Start() on the JSON-RPC connection before sending on it.");
        }
    }

    private void FailIfPending(long id, Exception exception)
    {
        if (_pending.TryRemove(id, out var call))
        {
            call.Release();
            call.Fail(exception);
        }
    }

    private void OnCallCancelled(PendingCall call, CancellationToken token)
    {
        if (!_pending.TryRemove(call.Id, out _))
        {
            return;
        }

        call.Release();
        SendCancelNotification(call.Id);
        call.Cancel(token);
    }

    private void OnCallTimedOut(PendingCall call)
    {
        if (!_pending.TryRemove(call.Id, out _))
        {
            return;
        }

        call.Release();
        SendCancelNotification(call.Id);
        call.Fail(new AiSwitchException(
            ErrorId.RpcTimeout,
            $"'{PeerName}' did not answer '{call.Method}' (id {call.Id}) in time; the call was cancelled. " +
            "Give the call a longer timeout, or check whether the peer is stuck (Get-AiAgent shows its state).",
            PeerName));
    }

    private void SendCancelNotification(long id)
    {
        if (_options.CancelRequestMethod is not { } method)
        {
            return;
        }

        Enqueue(Build((id, method), static (writer, cancel) =>
        {
            writer.WriteString(MethodProperty, cancel.method);
            writer.WritePropertyName(ParamsProperty);
            writer.WriteStartObject();
            writer.WriteNumber(cancel.method == AcpCancelRequestMethod ? "requestId" : "id", cancel.id);
            writer.WriteEndObject();
        }));
    }

    private AiSwitchException TooLargeToSend(string method, int length) => new(
        ErrorId.RpcMessageTooLarge,
        $"The message for '{method}' is {length} bytes, over the {_options.MaxMessageBytes}-byte limit of the connection to '{PeerName}'. " +
        "Send less in one message (split the payload), or raise MaxMessageBytes on both sides.",
        PeerName);

    private static PooledBuffer SerializeRequest<TParams>(long? id, string method, TParams parameters, JsonTypeInfo<TParams>? paramsTypeInfo) =>
        Build((id, method, parameters, paramsTypeInfo), static (writer, request) =>
        {
            if (request.id is long number)
            {
                writer.WriteNumber(IdProperty, number);
            }

            writer.WriteString(MethodProperty, request.method);
            if (request.paramsTypeInfo is not null && request.parameters is not null)
            {
                writer.WritePropertyName(ParamsProperty);
                JsonSerializer.Serialize(writer, request.parameters, request.paramsTypeInfo);
            }
        });

    private static PooledBuffer SerializeResult<TResult>(JsonRpcId id, TResult result, JsonTypeInfo<TResult>? resultTypeInfo) =>
        Build((id, result, resultTypeInfo), static (writer, response) =>
        {
            writer.WritePropertyName(IdProperty);
            response.id.WriteTo(writer);
            writer.WritePropertyName(ResultProperty);
            if (response.resultTypeInfo is null || response.result is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                JsonSerializer.Serialize(writer, response.result, response.resultTypeInfo);
            }
        });

    /// <summary>Writes <c>{"jsonrpc":"2.0", …members…}</c> into a new pooled buffer (given back if writing fails).</summary>
    private static PooledBuffer Build<TState>(TState state, Action<Utf8JsonWriter, TState> writeMembers)
    {
        var buffer = new PooledBuffer();
        try
        {
            var writer = JsonWriterCache.Get(buffer);
            writer.WriteStartObject();
            writer.WriteString(JsonRpcProperty, VersionValue);
            writeMembers(writer, state);
            writer.WriteEndObject();
            writer.Flush();
            return buffer;
        }
        catch
        {
            buffer.Return();
            throw;
        }
    }

    private static PooledBuffer SerializeError(JsonRpcId id, int code, string message, IEnumerable<KeyValuePair<string, string>>? data) =>
        Build((id, code, message, data), static (writer, error) =>
        {
            writer.WritePropertyName(IdProperty);
            error.id.WriteTo(writer);
            writer.WritePropertyName(ErrorProperty);
            writer.WriteStartObject();
            writer.WriteNumber(CodeProperty, error.code);
            writer.WriteString(MessageProperty, error.message);
            if (error.data is not null)
            {
                writer.WritePropertyName(DataProperty);
                writer.WriteStartObject();
                foreach (var (key, value) in error.data)
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        });

    /// <summary>The error response for a handler's exception: its AiSwitch code, -32800 when cancelled, else -32603.</summary>
    private static PooledBuffer SerializeHandlerError(IncomingRequest request, Exception exception)
    {
        switch (exception)
        {
            case OperationCanceledException when request.IsCancelled:
                return SerializeError(
                    request.Id,
                    JsonRpcErrorCodes.RequestCancelled,
                    $"'{request.Method}' (id {request.Id}) was cancelled at the caller's request.",
                    CancelledData);
            case AiSwitchException { Id: ErrorId.TaskCancelled } cancelled when request.IsCancelled:
                // The caller's own $/cancelRequest ended it (a task.assign whose task the SDK reports as TaskCancelled):
                // -32800 is what JSON-RPC libraries read as "cancelled" (StreamJsonRpc throws OperationCanceledException
                // for it); -40104 stays for a task cancelled any other way, such as task.cancel.
                return SerializeError(request.Id, JsonRpcErrorCodes.RequestCancelled, cancelled.Message, CancelledData);
            case AiSwitchException error:
                return SerializeError(request.Id, WireCode(error), error.Message, ErrorData(error));
            default:
                return SerializeError(
                    request.Id,
                    JsonRpcErrorCodes.InternalError,
                    $"'{request.Method}' failed: {exception.GetType().Name}: {exception.Message}",
                    [new("method", request.Method), new("exception", exception.GetType().FullName ?? exception.GetType().Name)]);
        }
    }

    private static readonly KeyValuePair<string, string>[] CancelledData = [new("error_id", nameof(ErrorId.RpcRequestCancelled))];

    private static int WireCode(AiSwitchException error) =>
        error.Id == ErrorId.RpcRemoteError && error.InnerException is JsonRpcRemoteException remote ? remote.Code : error.Code;

    private static List<KeyValuePair<string, string>> ErrorData(AiSwitchException error)
    {
        var data = new List<KeyValuePair<string, string>> { new("error_id", error.Id.ToString()) };
        if (error.Target is not null)
        {
            data.Add(new("target", error.Target));
        }

        if (error.Details is not null)
        {
            foreach (var detail in error.Details)
            {
                if (detail.Key is not "error_id" and not "target")
                {
                    data.Add(detail);
                }
            }
        }

        return data;
    }

    /// <summary>Queues one message (without its newline) for the writer; false when the connection is closed.</summary>
    internal bool Enqueue(PooledBuffer message)
    {
        message.Write((byte)'\n');

        // Counted as the memory held, not the bytes to send, since that is what a peer that never reads costs us.
        var held = message.Capacity;
        var queued = Interlocked.Add(ref _queuedBytes, held);
        if (queued > _options.MaxQueuedBytes && queued != held)
        {
            Interlocked.Add(ref _queuedBytes, -held);
            message.Return();
            Close(JsonRpcCloseReason.PeerNotReading, null,
                $"'{PeerName}' stopped reading what was sent to it: over {Describe(_options.MaxQueuedBytes)} of messages were waiting, " +
                "the limit, so the connection was closed. A JSON-RPC peer must keep reading its input while it writes " +
                "(an agent must keep reading its stdin, even while it sends requests).");
            return false;
        }

        if (_outbox.Writer.TryWrite(message))
        {
            return true;
        }

        Interlocked.Add(ref _queuedBytes, -held);
        message.Return();
        return false;
    }

    private void Dequeued(PooledBuffer message)
    {
        Interlocked.Add(ref _queuedBytes, -message.Capacity);
        message.Return();
    }

    /// <summary>
    /// The only code that writes to the output. Messages queued together go out in one write and one flush.
    /// </summary>
    private async Task WriteLoopAsync()
    {
        var reader = _outbox.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                // Rented per burst, not held: an idle connection keeps no write buffer.
                var chunk = ArrayPool<byte>.Shared.Rent(WriteChunkBytes);
                try
                {
                    await WriteQueuedAsync(reader, chunk).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(chunk);
                }

                await _output.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // Whatever the stream throws (broken pipe, disposed), the peer can no longer hear us.
            Close(JsonRpcCloseReason.WriteFailed, ex);
        }
        finally
        {
            while (reader.TryRead(out var unsent))
            {
                Dequeued(unsent);
            }
        }
    }

    private async Task WriteQueuedAsync(ChannelReader<PooledBuffer> reader, byte[] chunk)
    {
        var used = 0;
        while (reader.TryRead(out var message))
        {
            try
            {
                if (message.Length > chunk.Length - used)
                {
                    if (used > 0)
                    {
                        await _output.WriteAsync(chunk.AsMemory(0, used)).ConfigureAwait(false);
                        used = 0;
                    }

                    if (message.Length > chunk.Length)
                    {
                        await _output.WriteAsync(message.WrittenMemory).ConfigureAwait(false);
                        continue;
                    }
                }

                message.WrittenSpan.CopyTo(chunk.AsSpan(used));
                used += message.Length;
            }
            finally
            {
                Dequeued(message);
            }
        }

        if (used > 0)
        {
            await _output.WriteAsync(chunk.AsMemory(0, used)).ConfigureAwait(false);
        }
    }

    private static string Describe(long bytes) => bytes switch
    {
        >= 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.#} MiB"),
        >= 1024 when bytes % 1024 == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}
