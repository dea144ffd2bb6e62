using System.Diagnostics;
using System.Globalization;
using AiSwitch.Agent.Tests.Support;
using AiSwitch.Bench.Harness;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Core.Tasks;

namespace AiSwitch.Bench.Suites;

/// <summary>
/// Issue 5, fan-out against the physical baseline. One task on each of N reference agents with 500 ms of simulated
/// latency, run by the task engine (TaskOperations.InvokeAsync through the registry, agent start-up included), against
/// the same N agent processes (same command line) started by a bash loop with <c>&amp;</c> and <c>wait</c>, each driven
/// through the least the protocol needs for one task: agent.initialize, task.assign, close stdin. Goal: engine wall
/// ≤ 1.05 × bash wall at every N; parallel efficiency = bash / engine. N = 1, 10, 50, 100 (scale &lt; 1: 1 and 10).
/// Then 1,000 short tasks distributed over 10 long-lived agents (tasks/s).
/// Alone: <c>AiSwitch.Bench suites --filter fanout</c>, then <c>AiSwitch.Bench report</c>.
/// </summary>
/// <remarks>
/// What the engine does beyond the baseline is its own cost: the registry's bookkeeping (pid file, log, state mirror),
/// the event subscription and the task's events, and task.result. With N far above the core count both sides are
/// bounded by the agents' start-up CPU, which they share.
/// </remarks>
public sealed class FanoutSuite : IBenchSuite
{
    private const int LatencyMs = 500;
    private const int PoolSize = 10;

    public string Name => "fanout";

    public IEnumerable<BenchResult> Run(double scale) => RunAsync(scale).GetAwaiter().GetResult();

    private static async Task<IReadOnlyList<BenchResult>> RunAsync(double scale)
    {
        if (OperatingSystem.IsWindows())
        {
            return []; // the baseline is a bash loop
        }

        var results = new List<BenchResult>();
        int[] counts = scale < 1 ? [1, 10] : [1, 10, 50, 100];
        var runs = scale < 1 ? 1 : 3;
        await EngineWallAsync(1); // JIT and the runtime's first start, not measured
        foreach (var n in counts)
        {
            // Alternate the two so both see the same machine load; keep every run.
            var engine = new List<double>();
            var bash = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                bash.Add(await BashWallAsync(n));
                engine.Add(await EngineWallAsync(n));
            }

            var ratio = engine.Zip(bash, (e, b) => e / b).ToList();
            var efficiency = Statistics.Of(bash).Median / Statistics.Of(engine).Median * 100;
            results.Add(BenchResult.FromSamples($"fan-out N={n}: engine wall / bash & + wait wall", "x", ratio, Goal.MedianAtMost(1.05), issue: 5, tool: "in-process + bash",
                note: string.Create(CultureInfo.InvariantCulture,
                    $"{LatencyMs} ms tasks; engine median {Statistics.Of(engine).Median:0} ms (agent start included), bash {Statistics.Of(bash).Median:0} ms; parallel efficiency {efficiency:0}% (seed > 80%); {runs} run(s)")));
        }

        var tasks = Math.Max(100, (int)(1000 * Math.Min(1, scale)));
        results.Add(BenchResult.FromSamples($"{tasks} short tasks distributed over {PoolSize} long-lived jsonrpc agents", "tasks/s", [await DistributedAsync(tasks)],
            issue: 5, tool: "in-process", note: "round robin, 0 ms tasks, agents started before the clock"));
        return results;
    }

    /// <summary>
    /// One agent driven by bash through a coprocess: initialize, read its answer, assign the task, read lines until the
    /// answer to id 2 (skipping the agent's own requests, which go unanswered), close its stdin, wait for its exit.
    /// </summary>
    private const string BashDriver = """
        one() {
          coproc AGENT { exec "$@" 2>/dev/null; }
          local out=${AGENT[0]} in=${AGENT[1]} pid=$AGENT_PID line
          printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"agent.initialize","params":{"agent_id":"bench","protocol_version":"1.0.0","supported_features":[]}}' >&"$in"
          IFS= read -r line <&"$out" || exit 1
          printf '%s\n' '{"jsonrpc":"2.0","id":2,"method":"task.assign","params":{"task":{"id":"t","prompt":"bench"}}}' >&"$in"
          while IFS= read -r line <&"$out"; do
            case $line in *'"method"'*) ;; *'"id":2,"result"'*) break ;; *'"id":2,'*) echo "$line" >&2; exit 1 ;; esac
          done
          exec {in}>&-
          wait "$pid"
        }
        n=$1; shift
        for i in $(seq "$n"); do one "$@" & done
        wait
        """;

    /// <summary>The same agent command lines as the engine's, driven by bash (<see cref="BashDriver"/>); the wall of the whole loop.</summary>
    private static async Task<double> BashWallAsync(int n)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-c", BashDriver, "bash", n.ToString(CultureInfo.InvariantCulture), "dotnet" }.Concat(AgentArguments(LatencyMs)))
        {
            info.ArgumentList.Add(arg);
        }

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("bash did not start.");
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (process.ExitCode != 0 || (await errors).Length > 0)
        {
            throw new InvalidOperationException($"The bash baseline failed (exit {process.ExitCode}): {await errors}");
        }

        return elapsed;
    }

    private static string[] AgentArguments(int latencyMs) =>
        [ReferenceAgentProcess.DllPath, "--heartbeat-ms", "0", "--metrics-ms", "0", "--latency-ms", latencyMs.ToString(CultureInfo.InvariantCulture)];

    /// <summary>One task on each of N freshly registered, not yet started agents; the wall until the last result.</summary>
    private static async Task<double> EngineWallAsync(int n)
    {
        await using var pool = ReferencePool(n, LatencyMs);
        var started = Stopwatch.GetTimestamp();
        var results = await pool.InvokeAsync(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "bench" }], Agents = pool.Names, Mode = TaskMode.Parallel });
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        TaskSession.EnsureAllSucceeded(results, n);
        return elapsed;
    }

    /// <summary>A session with N jsonrpc reference agents registered, not started: the engine starts them on first use.</summary>
    private static TaskSession ReferencePool(int n, int latencyMs)
    {
        var session = TaskSession.Create("fanout");
        foreach (var name in Enumerable.Range(1, n).Select(i => $"ref-{i}"))
        {
            session.Register(name, AdapterNames.JsonRpc, "dotnet", AgentArguments(latencyMs));
        }

        return session;
    }

    private static async Task<double> DistributedAsync(int tasks)
    {
        await using var pool = ReferencePool(PoolSize, 0);
        var warm = await pool.InvokeAsync(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "warm" }], Agents = pool.Names, Mode = TaskMode.Parallel });
        TaskSession.EnsureAllSucceeded(warm, PoolSize);
        var request = new InvokeTaskRequest
        {
            Tasks = [.. Enumerable.Range(0, tasks).Select(i => new TaskSpec { Prompt = $"short {i}" })],
            Agents = pool.Names,
            Mode = TaskMode.Distribute,
            Distribution = DistributionStrategy.RoundRobin,
        };
        var started = Stopwatch.GetTimestamp();
        var results = await pool.InvokeAsync(request);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        TaskSession.EnsureAllSucceeded(results, tasks);
        return tasks / seconds;
    }
}
