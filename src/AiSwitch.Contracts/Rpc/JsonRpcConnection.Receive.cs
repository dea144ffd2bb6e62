using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;

namespace AiSwitch.Rpc;

/// <content>The reading loop: framing, parsing, dispatch of requests and completion of our calls.</content>
public sealed partial class JsonRpcConnection
{
    private async Task ReadLoopAsync()
    {
        var reason = JsonRpcCloseReason.PeerClosed;
        Exception? failure = null;
        using var lines = new LineReader(_input, _options.MaxMessageBytes);
        try
        {
            while (true)
            {
                var status = await lines.ReadAsync(_closing.Token).ConfigureAwait(false);
                if (status == LineStatus.End)
                {
                    break;
                }

                if (status == LineStatus.Oversized)
                {
                    RejectOversized(lines.OversizedLength);
                    continue;
                }

                ProcessLine(lines.Line.Span);
            }
        }
        catch (Exception) when (_closing.IsCancellationRequested)
        {
            reason = JsonRpcCloseReason.Disposed;
        }
        catch (Exception ex)
        {
            // Whatever the stream throws (broken pipe, disposed, I/O error), nothing more can be read.
            reason = JsonRpcCloseReason.ReadFailed;
            failure = ex;
        }

        Close(reason, failure);
    }

    private void RejectOversized(long length)
    {
        Log($"Rejected a message from '{PeerName}' of at least {Describe(length)}: over the limit of {Describe(_options.MaxMessageBytes)}.");
        SendReply(null, SerializeError(
            JsonRpcId.Null,
            JsonRpcErrorCodes.InvalidRequest,
            $"The message is over the {Describe(_options.MaxMessageBytes)} limit and was skipped. Send smaller messages.",
            [new("max_message_bytes", _options.MaxMessageBytes.ToString(CultureInfo.InvariantCulture))]));
    }

    private void ProcessLine(ReadOnlySpan<byte> line)
    {
        line = Trim(line);
        if (line.IsEmpty)
        {
            return;
        }

        try
        {
            if (!Utf8.IsValid(line))
            {
                Log($"Rejected a message from '{PeerName}': not valid UTF-8.");
                SendReply(null, SerializeError(JsonRpcId.Null, JsonRpcErrorCodes.ParseError, "The message is not valid UTF-8 text.", null));
                return;
            }

            if (line[0] == (byte)'[')
            {
                ProcessBatch(line);
            }
            else
            {
                ProcessMessage(line, null);
            }
        }
        catch (JsonException ex)
        {
            Log($"Rejected a message from '{PeerName}': not valid JSON ({ex.Message}).");
            SendReply(null, SerializeError(
                JsonRpcId.Null,
                JsonRpcErrorCodes.ParseError,
                $"The message is not valid JSON: {ex.Message}",
                null));
        }
        catch (Exception ex)
        {
            // Never let one message stop the loop; the peer's other calls still deserve answers.
            Log($"Dropped a message from '{PeerName}' that could not be processed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> line)
    {
        if (line.StartsWith("\uFEFF"u8))
        {
            line = line[3..];
        }

        return line.Trim(" \t\r\n"u8);
    }

    private void ProcessBatch(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, _readerOptions);
        reader.Read();
        var entries = new List<Range>();
        var tooMany = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (entries.Count < _options.MaxBatchLength)
            {
                entries.Add(start..(int)reader.BytesConsumed);
            }
            else
            {
                tooMany = true;
            }
        }

        if (reader.Read())
        {
            throw new JsonException($"Unexpected content after the batch at byte {reader.TokenStartIndex}.");
        }

        if (entries.Count == 0 || tooMany)
        {
            var problem = tooMany ? $"has more than {_options.MaxBatchLength} entries; send smaller batches" : "is empty";
            SendReply(null, SerializeError(JsonRpcId.Null, JsonRpcErrorCodes.InvalidRequest, $"The batch {problem}.", null));
            return;
        }

        var batch = new BatchCollector(this);
        foreach (var entry in entries)
        {
            ProcessMessage(json[entry], batch);
        }

        batch.EndOfScan();
    }

    private void ProcessMessage(ReadOnlySpan<byte> json, BatchCollector? batch)
    {
        var message = MessageEnvelope.Read(json, _readerOptions);
        if (!message.IsObject)
        {
            RejectRequest(batch, JsonRpcId.Null, "A JSON-RPC message must be an object.");
        }
        else if (message.HasMethod)
        {
            if (message.Method is null)
            {
                RejectRequest(batch, message.IdUsable ? message.Id : JsonRpcId.Null, "The member 'method' must be a string.");
            }
            else if (message.IdInvalid)
            {
                RejectRequest(batch, JsonRpcId.Null, "The member 'id' must be a string, an integer or null.");
            }
            else if (message.VersionInvalid)
            {
                RejectRequest(batch, message.Id, "The member 'jsonrpc' must be \"2.0\" when present.");
            }
            else
            {
                Dispatch(json, message, batch);
            }
        }
        else if (message.HasResult || message.HasError)
        {
            CompleteCall(json, message);
        }
        else
        {
            RejectRequest(batch, message.IdUsable ? message.Id : JsonRpcId.Null, "The message has neither 'method' (a request) nor 'result' or 'error' (a response).");
        }
    }

    private void RejectRequest(BatchCollector? batch, JsonRpcId id, string problem)
    {
        Log($"Rejected a message from '{PeerName}': {problem}");
        SendReply(batch, SerializeError(id, JsonRpcErrorCodes.InvalidRequest, $"Invalid request: {problem}", null));
    }

    private void Dispatch(ReadOnlySpan<byte> json, in MessageEnvelope message, BatchCollector? batch)
    {
        var method = message.Method!;
        var paramsJson = message.HasParams ? json[message.Params] : default;
        if (IsCancelMethod(method))
        {
            CancelIncoming(paramsJson);
            if (message.HasId)
            {
                SendReply(batch, SerializeResult<object?>(message.Id, null, null));
            }

            return;
        }

        if (!_methods.TryGetValue(method, out var handler))
        {
            if (message.HasId)
            {
                var known = string.Join(", ", _methods.Keys.Order(StringComparer.Ordinal));
                SendReply(batch, SerializeError(
                    message.Id,
                    JsonRpcErrorCodes.MethodNotFound,
                    $"Method '{method}' is not served here. Known methods: {(known.Length == 0 ? "none" : known)}.",
                    [new("method", method)]));
            }
            else
            {
                Log($"Ignored notification '{method}' from '{PeerName}': no handler for it.");
            }

            return;
        }

        IncomingRequest? request = null;
        if (message.HasId)
        {
            request = new IncomingRequest(message.Id, method, batch);
            if (!_incoming.TryAdd(message.Id, request))
            {
                SendReply(batch, SerializeError(
                    message.Id,
                    JsonRpcErrorCodes.InvalidRequest,
                    $"Invalid request: id {message.Id} is already used by a request still in progress; use a new id for each request.",
                    [new("id", message.Id.ToString())]));
                return;
            }

            batch?.Expect();
        }

        handler.Start(this, request, paramsJson);
    }

    /// <summary>Handles <c>$/cancelRequest {"id"}</c> and ACP's <c>$/cancel_request {"requestId"}</c>.</summary>
    private void CancelIncoming(ReadOnlySpan<byte> paramsJson)
    {
        if (paramsJson.IsEmpty)
        {
            return;
        }

        var reader = new Utf8JsonReader(paramsJson, _readerOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("id"u8) || reader.ValueTextEquals("requestId"u8);
            reader.Read();
            if (isId && JsonRpcId.TryRead(ref reader, out var id))
            {
                if (_incoming.TryGetValue(id, out var request))
                {
                    request.Cancel();
                }

                return;
            }

            reader.Skip();
        }
    }

    private void CompleteCall(ReadOnlySpan<byte> json, in MessageEnvelope message)
    {
        if (!TryGetOurId(message, out var id) || !_pending.TryRemove(id, out var call))
        {
            var what = message.HasError ? $"an error response ({DescribeError(json[message.Error])})" : "a response";
            Log($"Ignored {what} from '{PeerName}' for id {(message.IdUsable ? message.Id.ToString() : "?")}: no call is waiting for it.");
            return;
        }

        call.Release();
        if (message.HasError)
        {
            call.Fail(RemoteError(call.Method, json[message.Error]));
            return;
        }

        try
        {
            call.Complete(json[message.Result]);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or FormatException)
        {
            call.Fail(new AiSwitchException(
                ErrorId.RpcInvalidResponse,
                $"'{PeerName}' answered '{call.Method}' with a result that does not fit the protocol: {ex.Message} " +
                "Check that the peer speaks the same protocol version.",
                PeerName,
                ex));
        }
    }

    private static bool TryGetOurId(in MessageEnvelope message, out long id)
    {
        id = 0;
        if (!message.IdUsable)
        {
            return false;
        }

        if (message.Id.IsNumber)
        {
            id = message.Id.Number;
            return true;
        }

        // Some peers echo numeric ids as strings.
        return message.Id.IsString && long.TryParse(message.Id.String, NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }

    private static JsonRpcErrorObject? ReadError(ReadOnlySpan<byte> errorJson)
    {
        try
        {
            return JsonSerializer.Deserialize(errorJson, RpcJsonContext.Default.JsonRpcErrorObject);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string DescribeError(ReadOnlySpan<byte> errorJson) =>
        ReadError(errorJson) is { } error ? $"{error.Code}: {error.Message}" : "malformed";

    private AiSwitchException RemoteError(string method, ReadOnlySpan<byte> errorJson)
    {
        var error = ReadError(errorJson);
        var code = error?.Code ?? JsonRpcErrorCodes.InternalError;
        var text = error?.Message ?? "(the error object was malformed)";
        var data = error?.Data;
        var errorIdName = data is { ValueKind: JsonValueKind.Object } fields
            && fields.TryGetProperty("error_id", out var named)
            && named.ValueKind == JsonValueKind.String
                ? named.GetString()
                : null;
        return new AiSwitchException(
            JsonRpcErrorCodes.ToErrorId(code, errorIdName),
            $"'{PeerName}' failed '{method}' with error {code.ToString(CultureInfo.InvariantCulture)}: {text}",
            PeerName,
            new JsonRpcRemoteException(code, text, data))
        {
            Details = new Dictionary<string, string>
            {
                ["method"] = method,
                ["code"] = code.ToString(CultureInfo.InvariantCulture),
            },
        };
    }

    internal void RejectParams(IncomingRequest? request, string method, Exception exception)
    {
        if (request is null)
        {
            Log($"Ignored notification '{method}' from '{PeerName}': its params do not fit ({exception.Message}).");
            return;
        }

        Settle(request, SerializeError(
            request.Id,
            JsonRpcErrorCodes.InvalidParams,
            $"Invalid params for '{method}': {exception.Message}",
            [new("method", method)]));
    }

    internal void FinishRequest<TResult>(IncomingRequest? request, TResult result, JsonTypeInfo<TResult>? resultTypeInfo)
    {
        if (request is null)
        {
            return;
        }

        PooledBuffer response;
        try
        {
            response = SerializeResult(request.Id, result, resultTypeInfo);
        }
        catch (Exception ex)
        {
            FinishRequest(request, request.Method, new AiSwitchException(
                ErrorId.InternalError,
                $"The result of '{request.Method}' could not be serialized: {ex.Message}",
                inner: ex));
            return;
        }

        if (response.Length > _options.MaxMessageBytes)
        {
            var length = response.Length;
            response.Return();
            FinishRequest(request, request.Method, TooLargeToSend(request.Method, length));
            return;
        }

        Settle(request, response);
    }

    internal void FinishRequest(IncomingRequest? request, string method, Exception exception)
    {
        if (request is null)
        {
            if (exception is not OperationCanceledException)
            {
                Log($"The handler of notification '{method}' failed: {exception.GetType().Name}: {exception.Message}");
            }

            return;
        }

        Settle(request, SerializeHandlerError(request, exception));
    }

    private void Settle(IncomingRequest request, PooledBuffer response)
    {
        _incoming.TryRemove(new KeyValuePair<JsonRpcId, IncomingRequest>(request.Id, request));
        if (request.Batch is null)
        {
            Enqueue(response);
        }
        else
        {
            request.Batch.Complete(response);
        }
    }

    /// <summary>Sends a reply that is ready now: alone, or into the batch being scanned.</summary>
    private void SendReply(BatchCollector? batch, PooledBuffer response)
    {
        if (batch is null)
        {
            Enqueue(response);
        }
        else
        {
            batch.Add(response);
        }
    }
}
