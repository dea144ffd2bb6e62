namespace AiSwitch.Bench.Harness;

/// <summary>Median and p99 by the nearest-rank method: each figure is one of the samples, never an interpolation.</summary>
public readonly record struct Statistics(double Median, double P99, double Min, double Max)
{
    public static Statistics Of(IReadOnlyList<double> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("No samples were taken.", nameof(samples));
        }

        var sorted = samples.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Statistics(median, Percentile(sorted, 0.99), sorted[0], sorted[^1]);
    }

    private static double Percentile(double[] sorted, double fraction)
        => sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
