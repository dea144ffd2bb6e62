using AiSwitch.Bench.Harness;

namespace AiSwitch.Bench.Suites;

/// <summary>
/// Issue 2: a session and an agent environment switch in process, goal p99 ≤ 5 ms (seed: &lt; 1 s). A switch resolves
/// the preset (YAML read, a file: reference), snapshots, applies, and logs. Durable (the default) flushes the snapshot
/// and the agent record to disk before each rename; the not-flushed and -NoSnapshot figures show what that costs.
/// </summary>
public sealed class EnvironmentSuite : IBenchSuite
{
    public string Name => "environments";

    public IEnumerable<BenchResult> Run(double scale)
    {
        var runs = Math.Max(10, (int)(500 * scale));
        foreach (var durable in new[] { true, false })
        {
            using var fixture = new EnvironmentBenchFixture(durable);
            var how = durable ? "flushed" : "not flushed";
            var goal = durable ? Goal.P99AtMost(5) : null;
            yield return BenchResult.FromSamples($"session switch with snapshot, {how}", "ms",
                Measure.Milliseconds(() => fixture.Switch(null), runs, warmup: 20), goal, issue: 2, tool: "in-process");
            yield return BenchResult.FromSamples($"agent switch with snapshot, {how}", "ms",
                Measure.Milliseconds(() => fixture.Switch("claude"), runs, warmup: 20), goal, issue: 2, tool: "in-process");
            yield return BenchResult.FromSamples($"session switch -NoSnapshot, {how}", "ms",
                Measure.Milliseconds(() => fixture.Switch(null, snapshot: false), runs, warmup: 20), tool: "in-process");
            yield return BenchResult.FromSamples($"agent switch -NoSnapshot, {how}", "ms",
                Measure.Milliseconds(() => fixture.Switch("claude", snapshot: false), runs, warmup: 20), tool: "in-process");
        }
    }
}
