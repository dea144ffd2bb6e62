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

/// <summary>
/// A caller connection and a serving connection (the "agent", on its own reading loop) joined by in-memory
/// pipes or by OS anonymous pipes, as a child process's stdio would be.
/// </summary>
public sealed class RpcLink : IAsyncDisposable
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
        Stream callerIn, callerOut, serverIn, serverOut;
        if (osPipes)
        {
            var toServer = new AnonymousPipeServerStream(PipeDirection.Out);
            serverIn = new AnonymousPipeClientStream(PipeDirection.In, toServer.ClientSafePipeHandle);
            var toCaller = new AnonymousPipeServerStream(PipeDirection.Out);
            callerIn = new AnonymousPipeClientStream(PipeDirection.In, toCaller.ClientSafePipeHandle);
            callerOut = toServer;
            serverOut = toCaller;
        }
        else
        {
            var toServer = new Pipe();
            var toCaller = new Pipe();
            callerIn = toCaller.Reader.AsStream();
            callerOut = toServer.Writer.AsStream();
            serverIn = toServer.Reader.AsStream();
            serverOut = toCaller.Writer.AsStream();
        }

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
    public static async Task PipelinedAsync(RpcLink link, int calls, int inFlight)
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
        Console.WriteLine("| transport | p50 µs | p99 µs | sequential calls/s | 64 in flight calls/s | goal |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var osPipes in new[] { false, true })
        {
            await using var link = RpcLink.Open(osPipes);
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
                $"| {(osPipes ? "OS anonymous pipes" : "in-memory pipes")} | {latency.Median:0.0} | {latency.P99:0.0} | {sequential:N0} | {pipelined:N0} | p50 ≤ 100 µs, p99 ≤ 1 ms, ≥ 50,000 calls/s pipelined |"));
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
