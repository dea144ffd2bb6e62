using System.Diagnostics;
using AiSwitch.Agent.Tests.Support;
using AiSwitch.Bench.Harness;
using AiSwitch.Protocol;
using AiSwitch.Rpc;

namespace AiSwitch.Bench.Suites;

/// <summary>
/// Issue 3: the agent protocol over real pipes to the reference agent as a child process (<c>dotnet aiswitch-reference-agent.dll</c>,
/// the Release build): start to initialized (goal median ≤ 150 ms; seed &lt; 2 s), round trip (goal p50 ≤ 100 µs and
/// p99 ≤ 1 ms; seed &lt; 100 ms), throughput one call at a time and with 64 calls in flight (goal ≥ 50,000 calls/s), and the
/// coordinator's memory per open connection. Alone: <c>AiSwitch.Bench suites --filter agent</c>, then <c>AiSwitch.Bench report</c>.
/// </summary>
/// <remarks>
/// A suite of Stopwatch loops rather than BenchmarkDotNet: the goals are per-call percentiles (BenchmarkDotNet reports
/// per-iteration means), start to initialized needs a new process per sample, and memory per connection is a heap
/// difference across many live child processes; none of that fits its process-per-benchmark model.
/// </remarks>
public sealed class AgentProtocolSuite : IBenchSuite
{
    private const int InFlight = 64;
    private const int CallsPerWorker = 200;
    private const string Tool = "stopwatch, real child process";

    public string Name => "agent protocol";

    public IEnumerable<BenchResult> Run(double scale)
    {
        var budget = TimeSpan.FromSeconds(Math.Max(0.5, 3 * scale));
        var starts = Math.Max(5, (int)(20 * scale));
        yield return BenchResult.FromSamples("reference agent start → initialized", "ms", StartToInitialized(starts), Goal.MedianAtMost(150), issue: 3, tool: Tool,
            note: "process start to the answer of agent.initialize, a new process each run");

        using var agent = Connected.Start();
        agent.Call(AgentProtocol.TaskAssign, new AssignTaskParams { Task = new AgentTask { Id = "known", Prompt = "p" } });
        var status = new TaskStatusParams { TaskId = "known" };
        foreach (var result in Calls("task.status", budget, _ => agent.Connection.InvokeAsync(AgentProtocol.TaskStatus, status)))
        {
            yield return result;
        }

        var run = Guid.NewGuid().ToString("N")[..8];
        foreach (var result in Calls("task.assign (echo)", budget, n =>
            agent.Connection.InvokeAsync(AgentProtocol.TaskAssign, new AssignTaskParams { Task = new AgentTask { Id = $"{run}-{n}", Prompt = "hello" } })))
        {
            yield return result;
        }

        foreach (var result in MemoryPerConnection(16))
        {
            yield return result;
        }
    }

    private static List<double> StartToInitialized(int starts)
    {
        Connected.Start().Dispose();
        var samples = new List<double>(starts);
        for (var i = 0; i < starts; i++)
        {
            var watch = Stopwatch.StartNew();
            using var agent = Connected.Start();
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        return samples;
    }

    /// <summary>Round trips one at a time (each call timed), then batches of 64 workers × 200 calls (each batch one calls/s sample).</summary>
    private static IEnumerable<BenchResult> Calls(string what, TimeSpan budget, Func<long, Task> call)
    {
        // One blocking wait for the whole measurement: blocking per call would add a thread wake-up to every round trip.
        var (latencies, sequential, pipelined) = MeasureCallsAsync(budget, call).GetAwaiter().GetResult();
        yield return BenchResult.FromSamples($"{what} round trip over pipes", "us", latencies, Goal.MedianAtMost(100), issue: 3, tool: Tool,
            note: $"one call at a time: {sequential:N0} calls/s");
        yield return BenchResult.FromSamples($"{what} round trip over pipes, tail", "us", latencies, Goal.P99AtMost(1000), issue: 3, tool: Tool);
        yield return BenchResult.FromSamples($"{what} with {InFlight} calls in flight", "calls/s", pipelined, Goal.MedianAtLeast(50_000), issue: 3, tool: Tool,
            note: $"each run is a batch of {InFlight} × {CallsPerWorker} calls");
    }

    private static async Task<(List<double> Latencies, double Sequential, List<double> Pipelined)> MeasureCallsAsync(TimeSpan budget, Func<long, Task> call)
    {
        long n = 0;
        for (var i = 0; i < 20_000; i++)
        {
            await call(n++);
        }

        var latencies = new List<double>(1_000_000);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < budget)
        {
            var start = Stopwatch.GetTimestamp();
            await call(n++);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        var sequential = latencies.Count / watch.Elapsed.TotalSeconds;
        var pipelined = new List<double>();
        watch.Restart();
        while (watch.Elapsed < budget)
        {
            var batch = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, InFlight).Select(async _ =>
            {
                for (var i = 0; i < CallsPerWorker; i++)
                {
                    await call(Interlocked.Increment(ref n));
                }
            }));
            pipelined.Add(InFlight * CallsPerWorker / Stopwatch.GetElapsedTime(batch).TotalSeconds);
        }

        return (latencies, sequential, pipelined);
    }

    /// <summary>
    /// The coordinator's managed heap per open, initialized connection to a live agent process (the working set moves by
    /// whole GC segments and cannot be split per connection), and each agent process's own resident memory.
    /// </summary>
    private static IEnumerable<BenchResult> MemoryPerConnection(int count)
    {
        var open = new List<Connected>(count);
        try
        {
            var before = GC.GetTotalMemory(forceFullCollection: true);
            for (var i = 0; i < count; i++)
            {
                open.Add(Connected.Start());
            }

            var perConnection = (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)count / 1024;
            var agentRss = open.Select(agent =>
            {
                agent.Process.Process.Refresh();
                return agent.Process.Process.WorkingSet64 / (1024.0 * 1024.0);
            }).ToList();
            return
            [
                BenchResult.FromSamples("coordinator heap per open agent connection", "KiB", [perConnection], issue: 3, tool: Tool,
                    note: $"{count} live, initialized agents"),
                BenchResult.FromSamples("reference agent process resident memory", "MB", agentRss, issue: 3, tool: Tool),
            ];
        }
        finally
        {
            open.ForEach(agent => agent.Dispose());
        }
    }

    /// <summary>A reference agent process with heartbeats and metrics reports off, and an initialized connection to it.</summary>
    private sealed class Connected : IDisposable
    {
        private Connected(ReferenceAgentProcess process, JsonRpcConnection connection)
        {
            Process = process;
            Connection = connection;
        }

        public ReferenceAgentProcess Process { get; }

        public JsonRpcConnection Connection { get; }

        public static Connected Start()
        {
            var process = ReferenceAgentProcess.Start("--heartbeat-ms", "0", "--metrics-ms", "0");
            var connection = new JsonRpcConnection(process.Output, process.Input, new JsonRpcConnectionOptions { PeerName = "reference-agent" });
            connection.Start();
            var agent = new Connected(process, connection);
            agent.Call(AgentProtocol.AgentInitialize, new InitializeParams { AgentId = "bench", ProtocolVersion = ProtocolVersion.Current.ToString() });
            return agent;
        }

        public TResult Call<TParams, TResult>(JsonRpcMethod<TParams, TResult> method, TParams parameters) =>
            Connection.InvokeAsync(method, parameters, TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();

        public void Dispose()
        {
            Connection.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Process.Exited.Wait(TimeSpan.FromSeconds(10));
            Process.Dispose();
        }
    }
}
