namespace AiSwitch.Bench.Harness;

/// <summary>
/// A group of in-process benchmarks. Each area adds its suite in Suites/ and one line in
/// <see cref="Program.Suites"/>; bench/run runs them all and prints their figures with the others.
/// </summary>
public interface IBenchSuite
{
    string Name { get; }

    /// <summary>Measures and returns one result per figure. <paramref name="scale"/> is 1 normally, smaller for a quick run.</summary>
    IEnumerable<BenchResult> Run(double scale);
}
