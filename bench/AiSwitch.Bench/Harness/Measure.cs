using System.Diagnostics;

namespace AiSwitch.Bench.Harness;

/// <summary>Times an operation one call at a time, after a warm-up, so the figures carry their tail (p99).</summary>
public static class Measure
{
    /// <summary>Wall time of each of <paramref name="runs"/> calls, in milliseconds. Async work: pass a blocking wrapper.</summary>
    public static IReadOnlyList<double> Milliseconds(Action operation, int runs, int warmup)
    {
        for (var i = 0; i < warmup; i++)
        {
            operation();
        }

        var samples = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            operation();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return samples;
    }
}
