using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiSwitch.Bench.Harness;

/// <summary>
/// One figure of the benchmark table, as one JSON line of artifacts/bench/results.jsonl (format in bench/README.md).
/// Every benchmark program, in this process or not, appends these; <c>report</c> prints them.
/// </summary>
public sealed record BenchResult
{
    /// <summary>What was measured, as it reads in the table: "aiswitch preset list cold start".</summary>
    public required string Name { get; init; }

    /// <summary>The unit of every figure below: "ms", "us", "calls/s", "MB".</summary>
    public required string Unit { get; init; }

    public required int Runs { get; init; }

    public required double Median { get; init; }

    public required double P99 { get; init; }

    public required double Min { get; init; }

    public required double Max { get; init; }

    public Goal? Goal { get; init; }

    /// <summary>The issue whose acceptance names the goal.</summary>
    public int? Issue { get; init; }

    /// <summary>How it was measured ("hyperfine", "stopwatch", "in-process").</summary>
    public string? Tool { get; init; }

    public string? Note { get; init; }

    public static BenchResult FromSamples(string name, string unit, IReadOnlyList<double> samples, Goal? goal = null, int? issue = null, string? tool = null, string? note = null)
    {
        var stats = Statistics.Of(samples);
        return new BenchResult
        {
            Name = name,
            Unit = unit,
            Runs = samples.Count,
            Median = stats.Median,
            P99 = stats.P99,
            Min = stats.Min,
            Max = stats.Max,
            Goal = goal,
            Issue = issue,
            Tool = tool,
            Note = note,
        };
    }

    public bool? Passed => Goal?.IsMetBy(this);
}

/// <summary>A target: the named statistic must be at most (or at least) the value, in the result's unit.</summary>
public sealed record Goal(GoalStatistic Statistic, GoalComparison Comparison, double Value)
{
    public static Goal MedianAtMost(double value) => new(GoalStatistic.Median, GoalComparison.AtMost, value);

    public static Goal P99AtMost(double value) => new(GoalStatistic.P99, GoalComparison.AtMost, value);

    public static Goal MedianAtLeast(double value) => new(GoalStatistic.Median, GoalComparison.AtLeast, value);

    public bool IsMetBy(BenchResult result)
    {
        var actual = Statistic == GoalStatistic.Median ? result.Median : result.P99;
        return Comparison == GoalComparison.AtMost ? actual <= Value : actual >= Value;
    }

    public override string ToString()
        => $"{(Statistic == GoalStatistic.Median ? "median" : "p99")} {(Comparison == GoalComparison.AtMost ? "<=" : ">=")} {Value:G6}";
}

[JsonConverter(typeof(JsonStringEnumConverter<GoalStatistic>))]
public enum GoalStatistic
{
    Median,
    P99,
}

[JsonConverter(typeof(JsonStringEnumConverter<GoalComparison>))]
public enum GoalComparison
{
    AtMost,
    AtLeast,
}

/// <summary>Appends and reads the JSON lines file; appends are whole lines, so several writers can share it.</summary>
public static class BenchResults
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The results file: <c>AISWITCH_BENCH_RESULTS</c> (set by bench/run), else artifacts/bench/results.jsonl here.</summary>
    public static string DefaultPath
        => Environment.GetEnvironmentVariable("AISWITCH_BENCH_RESULTS") is { Length: > 0 } path
            ? path
            : Path.Combine(Environment.CurrentDirectory, "artifacts", "bench", "results.jsonl");

    public static void Append(string path, BenchResult result)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.AppendAllText(path, JsonSerializer.Serialize(result, Json) + "\n");
    }

    public static IReadOnlyList<BenchResult> Read(string path)
        => File.Exists(path)
            ? File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<BenchResult>(l, Json)!).ToList()
            : [];
}
