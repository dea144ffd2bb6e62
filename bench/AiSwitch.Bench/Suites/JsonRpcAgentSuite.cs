using System.Diagnostics;
using System.Text.Json;
using AiSwitch.Agent.Tests.Support;
using AiSwitch.Bench.Harness;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Core.Home;
using AiSwitch.Protocol;
using AiSwitch.Rpc;
using AiSwitch.Core.Tests.Agents.Adapters;

namespace AiSwitch.Bench.Suites;

/// <summary>
/// Issue 4, the jsonrpc adapter against the reference agent as a real child process: start to ready through the adapter
/// (launch, agent.initialize, event.subscribe; goal median ≤ 150 ms), and the coordinator's overhead per task against a
/// bare JSON-RPC connection driving the same agent (goals ≤ 5 % wall and ≤ 20 ms CPU per task).
/// </summary>
public sealed class JsonRpcAgentSuite : IBenchSuite
{
    private const int TaskLatencyMs = 20;

    public string Name => "jsonrpc-agent";

    public IEnumerable<BenchResult> Run(double scale) => RunAsync(scale).GetAwaiter().GetResult();

    private static async Task<IReadOnlyList<BenchResult>> RunAsync(double scale)
    {
        var root = Path.Combine(Path.GetTempPath(), "aiswitch-bench", Guid.NewGuid().ToString("N"));
        var home = new AiHome(root).EnsureCreated();
        var launcher = new ProcessSupervisor(home, "bench");
        try
        {
            var starts = Math.Max(5, (int)(30 * scale));
            var results = new List<BenchResult> { await StartToReadyAsync(home, launcher, starts), await BareStartToReadyAsync(starts) };
            results.AddRange(await OverheadAsync(home, launcher, Math.Max(20, (int)(200 * scale))));
            return results;
        }
        finally
        {
            await launcher.DisposeAsync();

            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<BenchResult> StartToReadyAsync(AiHome home, ProcessSupervisor launcher, int runs)
    {
        var adapter = new JsonRpcAgentAdapter();
        var launch = TestLaunches.Launch(TestLaunches.ReferenceAgent("bench-start"), home, launcher, "bench", []);
        var samples = new List<double>();
        for (var i = -2; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await using var agent = await adapter.StartAgentAsync(launch, CancellationToken.None);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i >= 0)
            {
                samples.Add(elapsed);
            }

            await agent.StopAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        }

        return BenchResult.FromSamples("jsonrpc agent start to ready (adapter, reference agent)", "ms", samples, Goal.MedianAtMost(150), issue: 4, tool: "in-process",
            note: "launch + agent.initialize + event.subscribe + env.switch of the preset; the agent is 'dotnet aiswitch-reference-agent.dll' (runtime start dominates)");
    }

    /// <summary>The same agent started with Process.Start and initialized over a bare connection: what the runtime itself costs.</summary>
    private static async Task<BenchResult> BareStartToReadyAsync(int runs)
    {
        var samples = new List<double>();
        for (var i = -2; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var process = ReferenceAgentProcess.Start("--metrics-ms", "0");
            await using var connection = new JsonRpcConnection(process.Output, process.Input, new JsonRpcConnectionOptions { PeerName = "reference agent" });
            connection.Start();
            await connection.InvokeAsync(AgentProtocol.AgentInitialize, new InitializeParams { AgentId = "bare", ProtocolVersion = ProtocolVersion.Current.ToString() }, CancellationToken.None);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i >= 0)
            {
                samples.Add(elapsed);
            }
        }

        return BenchResult.FromSamples("reference agent start to ready over a bare connection", "ms", samples, issue: 4, tool: "in-process",
            note: "Process.Start + agent.initialize only: the floor the adapter's start figure sits on");
    }

    /// <summary>
    /// The same tasks through the adapter and over a bare connection to a second reference agent, alternating one by one
    /// so both see the same machine load; then each path alone for its CPU time per task.
    /// </summary>
    private static async Task<IEnumerable<BenchResult>> OverheadAsync(AiHome home, ProcessSupervisor launcher, int tasks)
    {
        var launch = TestLaunches.Launch(TestLaunches.ReferenceAgent("bench-tasks"), home, launcher, "bench", []);
        await using var agent = await new JsonRpcAgentAdapter().StartAgentAsync(launch, CancellationToken.None);
        Func<string, Task> viaAdapter = id => agent.RunAsync(AgentInvocation.Create(launch, Work(id)), NullAgentRunObserver.Instance, CancellationToken.None);

        using var direct = ReferenceAgentProcess.Start("--metrics-ms", "0");
        await using var connection = new JsonRpcConnection(direct.Output, direct.Input, new JsonRpcConnectionOptions { PeerName = "reference agent" });
        connection.AddMethod(AgentProtocol.CoordinationHeartbeat, (_, _) => ValueTask.FromResult(new HeartbeatResult()));
        connection.AddMethod(AgentProtocol.TokensUsage, (_, _) => ValueTask.FromResult(new ReportTokenUsageResult { Accepted = true }));
        connection.Start();
        await connection.InvokeAsync(AgentProtocol.AgentInitialize, new InitializeParams { AgentId = "direct", ProtocolVersion = ProtocolVersion.Current.ToString() }, CancellationToken.None);
        Func<string, Task> overBareConnection = async id =>
        {
            await connection.InvokeAsync(AgentProtocol.TaskAssign, new AssignTaskParams { Task = Work(id) }, CancellationToken.None);
            await connection.InvokeAsync(AgentProtocol.TaskResult, new TaskResultParams { TaskId = id }, CancellationToken.None);
        };

        for (var i = 0; i < 10; i++)
        {
            await viaAdapter($"warm-{Guid.NewGuid():N}");
            await overBareConnection($"warm-{Guid.NewGuid():N}");
        }

        var adapterWall = new List<double>(tasks);
        var directWall = new List<double>(tasks);
        for (var i = 0; i < tasks; i++)
        {
            var (first, firstSamples, second, secondSamples) = i % 2 == 0
                ? (viaAdapter, adapterWall, overBareConnection, directWall)
                : (overBareConnection, directWall, viaAdapter, adapterWall);
            firstSamples.Add(await TimeAsync(first));
            secondSamples.Add(await TimeAsync(second));
        }

        var adapterCpu = await CpuPerTaskAsync(viaAdapter, tasks);
        var directCpu = await CpuPerTaskAsync(overBareConnection, tasks);
        var adapterMedian = Statistics.Of(adapterWall).Median;
        var directMedian = Statistics.Of(directWall).Median;
        var overheadPercent = adapterWall.Select(a => (a - directMedian) / directMedian * 100).ToList();
        return
        [
            BenchResult.FromSamples($"jsonrpc task via the adapter ({TaskLatencyMs} ms task)", "ms", adapterWall, issue: 4, tool: "in-process"),
            BenchResult.FromSamples($"jsonrpc task over a bare connection ({TaskLatencyMs} ms task)", "ms", directWall, issue: 4, tool: "in-process"),
            BenchResult.FromSamples("jsonrpc adapter wall overhead per task", "%", overheadPercent, Goal.MedianAtMost(5), issue: 4, tool: "in-process",
                note: $"(adapter − bare median) / bare median, the two alternating task by task; medians {adapterMedian:0.00} vs {directMedian:0.00} ms"),
            BenchResult.FromSamples("jsonrpc coordinator CPU per task via the adapter", "ms", [adapterCpu], Goal.MedianAtMost(20), issue: 4, tool: "in-process",
                note: $"this process's CPU time over {tasks} tasks / tasks; bare connection: {directCpu:0.000} ms"),
        ];
    }

    private static async Task<double> TimeAsync(Func<string, Task> run)
    {
        var started = Stopwatch.GetTimestamp();
        await run($"t-{Guid.NewGuid():N}");
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task<double> CpuPerTaskAsync(Func<string, Task> run, int tasks)
    {
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < tasks; i++)
        {
            await run($"cpu-{Guid.NewGuid():N}");
        }

        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds / tasks;
    }

    private static AgentTask Work(string id) => new()
    {
        Id = id,
        Prompt = "bench",
        Metadata = new Dictionary<string, JsonElement>
        {
            ["latency_ms"] = JsonSerializer.SerializeToElement(TaskLatencyMs),
            ["output_tokens"] = JsonSerializer.SerializeToElement(12),
            ["input_tokens"] = JsonSerializer.SerializeToElement(30),
        },
    };
}
