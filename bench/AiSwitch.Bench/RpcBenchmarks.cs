using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.IO.Pipes;
using System.Text.Json.Serialization;
using AiSwitch.Bench.Harness;
using AiSwitch.Rpc;
using BenchmarkDotNet.Attributes;

namespace AiSwitch.Bench;

public sealed class PingParams
{
    public long Seq { get; init; }

    public string Text { get; init; } = "";
}

public sealed class PingResult
{
    public long Seq { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PingParams))]
[JsonSerializable(typeof(PingResult))]
internal sealed partial class BenchJsonContext : JsonSerializerContext
{
}

/// <summary>A caller and a server of "ping", whatever JSON-RPC library joins them.</summary>
public interface IPingLink : IAsyncDisposable
{
    Task<PingResult> PingAsync(long seq);
}

/// <summary>The two ends of a stream pair: in-memory pipes, or OS anonymous pipes as a child process's stdio would be.</summary>
internal static class StreamPair
{
    public static (Stream CallerIn, Stream CallerOut, Stream ServerIn, Stream ServerOut) Open(bool osPipes)
    {
        if (osPipes)
        {
            var toServer = new AnonymousPipeServerStream(PipeDirection.Out);
            var toCaller = new AnonymousPipeServerStream(PipeDirection.Out);
            return (new AnonymousPipeClientStream(PipeDirection.In, toCaller.ClientSafePipeHandle), toServer,
                new AnonymousPipeClientStream(PipeDirection.In, toServer.ClientSafePipeHandle), toCaller);
        }

        var toServerPipe = new Pipe();
        var toCallerPipe = new Pipe();
        return (toCallerPipe.Reader.AsStream(), toServerPipe.Writer.AsStream(), toServerPipe.Reader.AsStream(), toCallerPipe.Writer.AsStream());
    }
}

/// <summary>
/// A caller connection and a serving connection (the "agent", on its own reading loop) of AiSwitch's own JSON-RPC,
/// joined by a <see cref="StreamPair"/>.
/// </summary>
public sealed class RpcLink : IPingLink
{
    private static readonly BenchJsonContext Json = BenchJsonContext.Default;

    private RpcLink(JsonRpcConnection caller, JsonRpcConnection server)
    {
        Caller = caller;
        Server = server;
    }

    public JsonRpcConnection Caller { get; }

    public JsonRpcConnection Server { get; }

    public static RpcLink Open(bool osPipes)
    {
        var (callerIn, callerOut, serverIn, serverOut) = StreamPair.Open(osPipes);
        var caller = new JsonRpcConnection(callerIn, callerOut, new JsonRpcConnectionOptions { PeerName = "bench-agent" });
        var server = new JsonRpcConnection(serverIn, serverOut, new JsonRpcConnectionOptions { PeerName = "bench-coordinator" });
        server.AddMethod("ping", Json.PingParams, Json.PingResult, static (p, _) => ValueTask.FromResult(new PingResult { Seq = p.Seq }));
        caller.Start();
        server.Start();
        return new RpcLink(caller, server);
    }

    public Task<PingResult> PingAsync(long seq) =>
        Caller.InvokeAsync("ping", new PingParams { Seq = seq, Text = "hello" }, Json.PingParams, Json.PingResult);

    public async ValueTask DisposeAsync()
    {
        await Caller.DisposeAsync();
        await Server.DisposeAsync();
    }
}

/// <summary>
/// BenchmarkDotNet suite: <c>dotnet run -c Release --project bench/AiSwitch.Bench -- --filter '*RpcBenchmarks*' --job short</c>.
/// Per-call times; calls/s is 1/time. The p50/p99 table comes from <see cref="RpcFigures"/>.
/// </summary>
[MemoryDiagnoser]
public class RpcBenchmarks
{
    private const int Batch = 1000;
    private const int InFlight = 64;

    private RpcLink _link = null!;

    [Params(false, true)]
    public bool OsPipes { get; set; }

    [GlobalSetup]
    public void SetUp() => _link = RpcLink.Open(OsPipes);

    [GlobalCleanup]
    public void CleanUp() => _link.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = Batch, Description = "sequential round trip")]
    public async Task Sequential()
    {
        for (var i = 0; i < Batch; i++)
        {
            await _link.PingAsync(i);
        }
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "64 in flight, per call")]
    public async Task Pipelined() => await RpcFigures.PipelinedAsync(_link, Batch, InFlight);
}

/// <summary>
/// The figures issue 3 names, measured call by call: <c>dotnet run -c Release --project bench/AiSwitch.Bench -- rpc-figures</c>.
/// </summary>
public static class RpcFigures
{
    public static async Task PipelinedAsync(IPingLink link, int calls, int inFlight)
    {
        var next = -1;
        var workers = new Task[inFlight];
        for (var w = 0; w < inFlight; w++)
        {
            workers[w] = Worker();
        }

        await Task.WhenAll(workers);

        async Task Worker()
        {
            int seq;
            while ((seq = Interlocked.Increment(ref next)) < calls)
            {
                await link.PingAsync(seq);
            }
        }
    }

    public static async Task RunAsync(int seconds = 3)
    {
        Console.WriteLine($"JSON-RPC over a stream pair ({Environment.ProcessorCount} cores, .NET {Environment.Version})");
        Console.WriteLine("| library | transport | p50 µs | p99 µs | sequential calls/s | 64 in flight calls/s | goal |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        // Each transport with AiSwitch's JSON-RPC and then StreamJsonRpc (the baseline a .NET agent would use), one run.
        foreach (var (osPipes, library) in new[] { (false, "AiSwitch"), (false, "StreamJsonRpc"), (true, "AiSwitch"), (true, "StreamJsonRpc") })
        {
            await using IPingLink link = library == "AiSwitch" ? RpcLink.Open(osPipes) : StreamJsonRpcLink.Open(osPipes);
            for (var i = 0; i < 20_000; i++)
            {
                await link.PingAsync(i);
            }

            var samples = new List<double>(1_000_000);
            var watch = Stopwatch.StartNew();
            var budget = TimeSpan.FromSeconds(seconds);
            while (watch.Elapsed < budget)
            {
                var start = Stopwatch.GetTimestamp();
                await link.PingAsync(samples.Count);
                samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }

            var sequential = samples.Count / watch.Elapsed.TotalSeconds;
            var latency = Statistics.Of(samples);
            var pipelinedCalls = 0;
            watch.Restart();
            while (watch.Elapsed < budget)
            {
                await PipelinedAsync(link, 20_000, 64);
                pipelinedCalls += 20_000;
            }

            var pipelined = pipelinedCalls / watch.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {library} | {(osPipes ? "OS anonymous pipes" : "in-memory pipes")} | {latency.Median:0.0} | {latency.P99:0.0} | {sequential:N0} | {pipelined:N0} | {(library == "AiSwitch" ? "p50 ≤ 100 µs, p99 ≤ 1 ms, ≥ 50,000 calls/s pipelined" : "baseline")} |"));
        }

        var inMemory = await MemoryPerConnectionAsync(false);
        var overOsPipes = await MemoryPerConnectionAsync(true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"memory per open connection, after one call: {inMemory:N0} bytes (in-memory pipes), {overOsPipes:N0} bytes (OS pipes)"));
    }

    /// <summary>Managed heap growth per connection (half a link: one caller, as the coordinator holds one per agent).</summary>
    private static async Task<long> MemoryPerConnectionAsync(bool osPipes)
    {
        const int count = 200;
        var links = new List<RpcLink>(count);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < count; i++)
        {
            var link = RpcLink.Open(osPipes);
            await link.PingAsync(i);
            links.Add(link);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        foreach (var link in links)
        {
            await link.DisposeAsync();
        }

        return (after - before) / (count * 2);
    }
}

/// <summary>
/// The same "ping" over StreamJsonRpc, set up as docs/agents/streamjsonrpc.md tells a .NET agent author: newline framing,
/// System.Text.Json with snake_case, parameters by name (one object).
/// </summary>
public sealed class StreamJsonRpcLink : IPingLink
{
    private readonly StreamJsonRpc.JsonRpc _caller;
    private readonly StreamJsonRpc.JsonRpc _server;

    private StreamJsonRpcLink(StreamJsonRpc.JsonRpc caller, StreamJsonRpc.JsonRpc server) => (_caller, _server) = (caller, server);

    public static StreamJsonRpcLink Open(bool osPipes)
    {
        var (callerIn, callerOut, serverIn, serverOut) = StreamPair.Open(osPipes);
        var server = new StreamJsonRpc.JsonRpc(new StreamJsonRpc.NewLineDelimitedMessageHandler(serverOut, serverIn, Formatter()));
        server.AddLocalRpcTarget(new PingTarget());
        var caller = new StreamJsonRpc.JsonRpc(new StreamJsonRpc.NewLineDelimitedMessageHandler(callerOut, callerIn, Formatter()));
        server.StartListening();
        caller.StartListening();
        return new StreamJsonRpcLink(caller, server);
    }

    public Task<PingResult> PingAsync(long seq) => _caller.InvokeWithParameterObjectAsync<PingResult>("ping", new PingParams { Seq = seq, Text = "hello" });

    public ValueTask DisposeAsync()
    {
        _caller.Dispose();
        _server.Dispose();
        return ValueTask.CompletedTask;
    }

    private static StreamJsonRpc.SystemTextJsonFormatter Formatter()
        => new() { JsonSerializerOptions = { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower } };
}

/// <summary>The served side of <see cref="StreamJsonRpcLink"/>.</summary>
public sealed class PingTarget
{
    [StreamJsonRpc.JsonRpcMethod("ping", UseSingleObjectParameterDeserialization = true)]
    public PingResult Ping(PingParams parameters) => new() { Seq = parameters.Seq };
}
