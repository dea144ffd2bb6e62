using System.IO.Pipelines;
using System.IO.Pipes;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AiSwitch.Rpc;

namespace AiSwitch.Core.Tests.Rpc;

public sealed class EchoParams
{
    public string Text { get; init; } = "";

    public int DelayMs { get; init; }
}

public sealed class EchoResult
{
    public string Text { get; init; } = "";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(EchoParams))]
[JsonSerializable(typeof(EchoResult))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
internal sealed partial class TestJsonContext : JsonSerializerContext
{
}

/// <summary>Bounds every wait in a test: a hang fails the test instead of stalling the run.</summary>
internal static class Bounded
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    public static Task<T> Within<T>(this Task<T> task, TimeSpan? limit = null) => task.WaitAsync(limit ?? Limit);

    public static Task Within(this Task task, TimeSpan? limit = null) => task.WaitAsync(limit ?? Limit);
}

/// <summary>Two connections joined by in-memory pipes: what one writes, the other reads.</summary>
internal sealed class RpcPair : IAsyncDisposable
{
    private RpcPair(JsonRpcConnection client, JsonRpcConnection server)
    {
        Client = client;
        Server = server;
    }

    public JsonRpcConnection Client { get; }

    public JsonRpcConnection Server { get; }

    /// <summary>Creates the pair; <paramref name="setUp"/> registers handlers before both start.</summary>
    public static RpcPair Create(Action<JsonRpcConnection, JsonRpcConnection>? setUp = null, JsonRpcConnectionOptions? clientOptions = null, JsonRpcConnectionOptions? serverOptions = null)
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var client = new JsonRpcConnection(toClient.Reader.AsStream(), toServer.Writer.AsStream(), clientOptions ?? new() { PeerName = "server" });
        var server = new JsonRpcConnection(toServer.Reader.AsStream(), toClient.Writer.AsStream(), serverOptions ?? new() { PeerName = "client" });
        setUp?.Invoke(client, server);
        client.Start();
        server.Start();
        return new RpcPair(client, server);
    }

    /// <summary>The same over real OS pipes (anonymous pipes, as a child process's stdio would be).</summary>
    public static RpcPair CreateOverOsPipes(Action<JsonRpcConnection, JsonRpcConnection>? setUp = null)
    {
        var clientOut = new AnonymousPipeServerStream(PipeDirection.Out);
        var serverIn = new AnonymousPipeClientStream(PipeDirection.In, clientOut.ClientSafePipeHandle);
        var serverOut = new AnonymousPipeServerStream(PipeDirection.Out);
        var clientIn = new AnonymousPipeClientStream(PipeDirection.In, serverOut.ClientSafePipeHandle);
        var client = new JsonRpcConnection(clientIn, clientOut, new() { PeerName = "server" });
        var server = new JsonRpcConnection(serverIn, serverOut, new() { PeerName = "client" });
        setUp?.Invoke(client, server);
        client.Start();
        server.Start();
        return new RpcPair(client, server);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}

/// <summary>A connection on one side and raw lines on the other, for feeding it anything at all.</summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly Pipe _toConnection = new();
    private readonly Pipe _fromConnection = new();
    private readonly StreamReader _lines;

    public RawPeer(Action<JsonRpcConnection>? setUp = null, JsonRpcConnectionOptions? options = null)
    {
        Log = [];
        var log = Log;
        Connection = new JsonRpcConnection(
            _toConnection.Reader.AsStream(),
            _fromConnection.Writer.AsStream(),
            options ?? new JsonRpcConnectionOptions { PeerName = "raw", Log = line => { lock (log) { log.Add(line); } } });
        _lines = new StreamReader(_fromConnection.Reader.AsStream(), new UTF8Encoding(false));
        setUp?.Invoke(Connection);
        Connection.Start();
    }

    public JsonRpcConnection Connection { get; }

    public List<string> Log { get; }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public Task SendAsync(byte[] bytes) => SendAsync(bytes, CancellationToken.None);

    /// <summary>Writes bytes; the token ends a write that waits for a connection that stopped reading.</summary>
    public async Task SendAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await _toConnection.Writer.WriteAsync(bytes, cancellationToken);
        await _toConnection.Writer.FlushAsync(cancellationToken);
    }

    public Task SendLineAsync(string json) => SendAsync(json + "\n");

    /// <summary>The next line the connection wrote, or null when it closed its output.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(Bounded.Limit);
        return await _lines.ReadLineAsync(timeout.Token);
    }

    public async Task<JsonElement> ReadMessageAsync()
    {
        var line = await ReadLineAsync() ?? throw new InvalidOperationException("The connection closed its output.");
        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }

    /// <summary>Ends the connection's input, as a peer that exits does.</summary>
    public Task CloseInputAsync() => _toConnection.Writer.CompleteAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        _lines.Dispose();
    }
}

internal static class JsonAssert
{
    public static int ErrorCode(this JsonElement message) => message.GetProperty("error").GetProperty("code").GetInt32();

    public static bool HasNullId(this JsonElement message) => message.GetProperty("id").ValueKind == JsonValueKind.Null;
}
