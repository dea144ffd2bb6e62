using System.Diagnostics;
using System.Globalization;
using AiSwitch.Agent.Tests.Support;
using AiSwitch.Core.Protocol;
using AiSwitch.Core.Rpc;

namespace AiSwitch.Bench;

/// <summary>
/// The agent protocol over real pipes to the reference agent as a child process (issue 3's figures):
/// <c>dotnet run -c Release --project bench/AiSwitch.Bench -- agent-figures [--seconds 3] [--starts 20] [--agents 16]</c>.
/// </summary>
/// <remarks>
/// A Stopwatch runner rather than BenchmarkDotNet: the goals are per-call percentiles (BenchmarkDotNet reports per-iteration
/// means), start-to-initialized needs a new process per sample, and memory per connection is a heap difference across many
/// live child processes — none of which fits its process-per-benchmark model, which would also rebuild the suite on two
/// shared cores.
/// </remarks>
public static class AgentProtocolBenchmarks
{
    private const int InFlight = 64;

    public static async Task RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 3);
        var starts = Option(args, "--starts", 20);
        var agents = Option(args, "--agents", 16);
        var rows = new List<string>();
        Console.WriteLine($"AiSwitch agent protocol against {ReferenceAgentProcess.DllPath}");
        Console.WriteLine($"({Environment.ProcessorCount} cores, .NET {Environment.Version}; each figure runs {seconds} s after 20,000 warm-up calls)");

        rows.Add(await StartToInitializedAsync(starts));
        await using (var agent = await ConnectAsync())
        {
            await agent.Connection.InvokeAsync(AgentProtocol.TaskAssign, new AssignTaskParams { Task = new AgentTask { Id = "known", Prompt = "p" } });
            var status = new TaskStatusParams { TaskId = "known" };
            rows.AddRange(await RoundTripsAsync("task.status (lookup)", seconds, _ => agent.Connection.InvokeAsync(AgentProtocol.TaskStatus, status)));
            var run = Guid.NewGuid().ToString("N")[..8];
            rows.AddRange(await RoundTripsAsync("task.assign (echo task)", seconds, n =>
                agent.Connection.InvokeAsync(AgentProtocol.TaskAssign, new AssignTaskParams { Task = new AgentTask { Id = $"{run}-{n}", Prompt = "hello" } })));
        }

        rows.Add(await MemoryPerConnectionAsync(agents));
        Console.WriteLine();
        Console.WriteLine("| figure | result | goal |");
        Console.WriteLine("|---|---|---|");
        rows.ForEach(Console.WriteLine);
    }

    private static async Task<Connected> ConnectAsync(params string[] args)
    {
        var process = ReferenceAgentProcess.Start(["--heartbeat-ms", "0", "--metrics-ms", "0", .. args]);
        var connection = new JsonRpcConnection(process.Output, process.Input, new JsonRpcConnectionOptions { PeerName = "reference-agent" });
        connection.Start();
        await connection.InvokeAsync(AgentProtocol.AgentInitialize, new InitializeParams { AgentId = "bench", ProtocolVersion = ProtocolVersion.Current.ToString() });
        return new Connected(process, connection);
    }

    /// <summary>Process start to the answer of agent.initialize, one new process per sample.</summary>
    private static async Task<string> StartToInitializedAsync(int starts)
    {
        await (await ConnectAsync()).DisposeAsync();
        var samples = new List<double>(starts);
        for (var i = 0; i < starts; i++)
        {
            var watch = Stopwatch.StartNew();
            await using var agent = await ConnectAsync();
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        return Row(
            $"reference agent start → initialized ({starts} starts, `dotnet aiswitch-reference-agent.dll`)",
            $"median {Percentile(samples, 0.5):0.0} ms, p90 {Percentile(samples, 0.9):0.0} ms, min {samples[0]:0.0} ms",
            "≤ 150 ms (seed: < 2 s)");
    }

    /// <summary>Per-call latency (sequential), then sequential and 64-in-flight throughput, for one kind of call.</summary>
    private static async Task<string[]> RoundTripsAsync(string what, int seconds, Func<long, Task> call)
    {
        long n = 0;
        for (var i = 0; i < 20_000; i++)
        {
            await call(n++);
        }

        var samples = new List<double>(1_000_000);
        var budget = TimeSpan.FromSeconds(seconds);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < budget)
        {
            var start = Stopwatch.GetTimestamp();
            await call(n++);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        var sequential = samples.Count / watch.Elapsed.TotalSeconds;
        samples.Sort();

        long pipelined = 0;
        watch.Restart();
        while (watch.Elapsed < budget)
        {
            await Task.WhenAll(Enumerable.Range(0, InFlight).Select(async _ =>
            {
                for (var i = 0; i < 200; i++)
                {
                    await call(Interlocked.Increment(ref n));
                }
            }));
            pipelined += InFlight * 200;
        }

        var perSecond = pipelined / watch.Elapsed.TotalSeconds;
        return
        [
            Row($"{what}: round trip over pipes ({samples.Count:N0} calls)", $"p50 {Percentile(samples, 0.5):0.0} µs, p99 {Percentile(samples, 0.99):0.0} µs", "p50 ≤ 100 µs, p99 ≤ 1 ms (seed: < 100 ms)"),
            Row($"{what}: throughput, one call at a time", $"{sequential:N0} calls/s", "—"),
            Row($"{what}: throughput, {InFlight} calls in flight", $"{perSecond:N0} calls/s", "≥ 50,000 calls/s"),
        ];
    }

    /// <summary>
    /// The coordinator's managed heap per open, initialized connection to a live agent process (the process's working set
    /// moves by whole GC segments and cannot be split per connection), and each agent process's own resident memory.
    /// </summary>
    private static async Task<string> MemoryPerConnectionAsync(int count)
    {
        var open = new List<Connected>(count);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        try
        {
            for (var i = 0; i < count; i++)
            {
                open.Add(await ConnectAsync());
            }

            var heap = (GC.GetTotalMemory(forceFullCollection: true) - heapBefore) / count;
            var agentRss = open.Average(agent =>
            {
                agent.Process.Process.Refresh();
                return agent.Process.Process.WorkingSet64;
            });
            return Row(
                $"coordinator memory per open connection ({count} live agents, initialized)",
                $"{heap / 1024.0:N1} KiB managed heap per connection; each agent process {agentRss / (1024.0 * 1024.0):N1} MiB resident",
                "— (report)");
        }
        finally
        {
            foreach (var agent in open)
            {
                await agent.DisposeAsync();
            }
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))];

    private static string Row(string figure, string result, string goal) => $"| {figure} | {result} | {goal} |";

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed record Connected(ReferenceAgentProcess Process, JsonRpcConnection Connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Connection.DisposeAsync();
            await ((Task)Process.Exited.WaitAsync(TimeSpan.FromSeconds(10))).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            Process.Dispose();
        }
    }
}
