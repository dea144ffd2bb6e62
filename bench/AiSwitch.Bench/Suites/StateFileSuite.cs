using AiSwitch.Bench.Harness;
using AiSwitch.Core.Home;

namespace AiSwitch.Bench.Suites;

/// <summary>
/// The atomic write every state change makes (temp file, flush, rename): the floor under an environment switch
/// and a lock's owner record. No goal of its own; it explains the figures that have one.
/// </summary>
public sealed class StateFileSuite : IBenchSuite
{
    public string Name => "state";

    public IEnumerable<BenchResult> Run(double scale)
    {
        var folder = Directory.CreateTempSubdirectory("aiswitch-bench-state-").FullName;
        try
        {
            var path = Path.Combine(folder, "state.json");
            var content = new byte[2048];
            Random.Shared.NextBytes(content);
            var runs = Math.Max(10, (int)(500 * scale));
            yield return BenchResult.FromSamples("atomic state write, flushed to disk", "ms",
                Measure.Milliseconds(() => AtomicFile.Write(path, content, durable: true), runs, warmup: 20), tool: "in-process");
            yield return BenchResult.FromSamples("atomic state write, not flushed", "ms",
                Measure.Milliseconds(() => AtomicFile.Write(path, content, durable: false), runs, warmup: 20), tool: "in-process");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
