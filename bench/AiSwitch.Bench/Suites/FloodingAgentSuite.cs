using System.Diagnostics;
using AiSwitch.Bench.Harness;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Core.Home;
using AiSwitch.Core.Tests.Agents.Adapters;

namespace AiSwitch.Bench.Suites;

/// <summary>
/// Issue 12 item 1: the coordinator's resident memory while a jsonrpc agent floods it with requests for an unknown
/// method and never reads its stdin (goal: under 100 MB). Unbounded, the answers queued for it took 2.6 GB at 300k
/// requests; bounded, the connection is cut off at its queue limit and the agent killed.
/// </summary>
public sealed class FloodingAgentSuite : IBenchSuite
{
    // Unbounded, the flood never ends on its own: past this the bench stops it rather than exhaust the machine.
    private const double GiveUpAboveMegabytes = 1024;

    public string Name => "flooding-agent";

    public IEnumerable<BenchResult> Run(double scale) => RunAsync(Math.Max(3, (int)(10 * scale))).GetAwaiter().GetResult();

    private static async Task<IReadOnlyList<BenchResult>> RunAsync(int runs)
    {
        var root = Path.Combine(Path.GetTempPath(), "aiswitch-bench", Guid.NewGuid().ToString("N"));
        var home = new AiHome(root).EnsureCreated();
        var launcher = new ProcessSupervisor(home, "bench");
        try
        {
            var adapter = new JsonRpcAgentAdapter();
            var growths = new List<double>();
            var peaks = new List<double>();
            var endings = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < runs; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var baseline = ResidentMegabytes();
                var launch = TestLaunches.Launch(TestLaunches.FloodingAgent("flooder"), home, launcher, null, []);
                await using var agent = await adapter.StartAgentAsync(launch, CancellationToken.None);
                var peak = await PeakUntilAsync(agent.Exited, baseline + GiveUpAboveMegabytes);
                peaks.Add(peak);
                growths.Add(peak - baseline);
                endings.Add(agent.Exited.IsCompleted && agent.Exited.Result.Reason.Contains("stopped reading", StringComparison.Ordinal)
                    ? "cut off at the connection's queue limit and killed"
                    : $"still flooding at {GiveUpAboveMegabytes} MB over the baseline; killed by the bench");
            }

            return
            [
                BenchResult.FromSamples("coordinator resident memory, flooding jsonrpc agent", "MB", peaks, Goal.P99AtMost(100), issue: 12, tool: "in-process, resident set",
                    note: $"peak working set of this bench process (the coordinator) while the agent floods; growth over the working set before the agent started: " +
                          $"median {Statistics.Of(growths).Median:0.0} MB, max {growths.Max():0.0} MB; ended: {string.Join("; ", endings)}"),
            ];
        }
        finally
        {
            await launcher.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<double> PeakUntilAsync(Task ended, double giveUpAbove)
    {
        var peak = ResidentMegabytes();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        while (!ended.IsCompleted && peak < giveUpAbove)
        {
            await Task.WhenAny(ended, timer.WaitForNextTickAsync().AsTask());
            peak = Math.Max(peak, ResidentMegabytes());
        }

        return peak;
    }

    private static double ResidentMegabytes()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64 / (1024.0 * 1024.0);
    }
}
