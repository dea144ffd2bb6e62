using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AiSwitch.Rpc;

/// <summary>A registered method: reads its params while the line is still in the buffer, then runs the handler.</summary>
internal abstract class MethodHandler
{
    protected MethodHandler(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>
    /// The params a handler reads: by name (an object) as sent; by position, a lone object is that object and an empty
    /// array is no params, which is what StreamJsonRpc's <c>InvokeAsync(method, obj)</c> and <c>InvokeAsync(method)</c>
    /// send. Any other array is returned as it is, and fails to bind with -32602.
    /// </summary>
    protected static ReadOnlySpan<byte> ByName(ReadOnlySpan<byte> paramsJson)
    {
        if (paramsJson.IsEmpty || paramsJson[0] != (byte)'[')
        {
            return paramsJson;
        }

        var reader = new Utf8JsonReader(paramsJson);
        reader.Read();
        reader.Read();
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            return default;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return paramsJson;
        }

        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var end = (int)reader.BytesConsumed;
        return reader.Read() && reader.TokenType == JsonTokenType.EndArray ? paramsJson[start..end] : paramsJson;
    }

    /// <param name="request">Null for a notification.</param>
    /// <param name="paramsJson">The params value, or empty when absent or null.</param>
    public abstract void Start(JsonRpcConnection connection, IncomingRequest? request, ReadOnlySpan<byte> paramsJson);
}

internal sealed class MethodHandler<TParams, TResult> : MethodHandler
{
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    private readonly JsonTypeInfo<TParams>? _paramsTypeInfo;
    private readonly JsonTypeInfo<TResult>? _resultTypeInfo;
    private readonly Func<TParams, CancellationToken, ValueTask<TResult>> _handler;

    /// <param name="paramsTypeInfo">Null when the method takes no params.</param>
    /// <param name="resultTypeInfo">Null when the method answers with a null result.</param>
    public MethodHandler(
        string name,
        JsonTypeInfo<TParams>? paramsTypeInfo,
        JsonTypeInfo<TResult>? resultTypeInfo,
        Func<TParams, CancellationToken, ValueTask<TResult>> handler)
        : base(name)
    {
        _paramsTypeInfo = paramsTypeInfo;
        _resultTypeInfo = resultTypeInfo;
        _handler = handler;
    }

    public override void Start(JsonRpcConnection connection, IncomingRequest? request, ReadOnlySpan<byte> paramsJson)
    {
        TParams parameters;
        try
        {
            paramsJson = ByName(paramsJson);
            // Absent params read as {} so a params type with only optional members still binds.
            parameters = _paramsTypeInfo is null
                ? default!
                : JsonSerializer.Deserialize(paramsJson.IsEmpty ? EmptyObject : paramsJson, _paramsTypeInfo)!;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or FormatException)
        {
            connection.RejectParams(request, Name, ex);
            return;
        }

        if (connection.Options.RunHandlersOnThreadPool)
        {
            ThreadPool.UnsafeQueueUserWorkItem(new Invocation(this, connection, request, parameters), preferLocal: false);
            return;
        }

        Invoke(connection, request, parameters);
    }

    private void Invoke(JsonRpcConnection connection, IncomingRequest? request, TParams parameters)
    {
        ValueTask<TResult> running;
        try
        {
            running = _handler(parameters, request?.Token ?? connection.ClosingToken);
        }
        catch (Exception ex)
        {
            connection.FinishRequest(request, Name, ex);
            return;
        }

        if (running.IsCompletedSuccessfully)
        {
            connection.FinishRequest(request, running.Result, _resultTypeInfo);
            return;
        }

        _ = AwaitAsync(connection, request, running);
    }

    private async Task AwaitAsync(JsonRpcConnection connection, IncomingRequest? request, ValueTask<TResult> running)
    {
        TResult result;
        try
        {
            result = await running.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            connection.FinishRequest(request, Name, ex);
            return;
        }

        connection.FinishRequest(request, result, _resultTypeInfo);
    }

    private sealed class Invocation(MethodHandler<TParams, TResult> handler, JsonRpcConnection connection, IncomingRequest? request, TParams parameters)
        : IThreadPoolWorkItem
    {
        public void Execute() => handler.Invoke(connection, request, parameters);
    }
}
