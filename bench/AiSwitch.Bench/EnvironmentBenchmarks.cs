using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using AiSwitch.Bench.Harness;
using AiSwitch.Core.Environments;
using AiSwitch.Core.Home;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Presets;
using Perfolizer.Mathematics.OutlierDetection;

namespace AiSwitch.Bench;

/// <summary>
/// A private home with two presets (one holding a file: reference) and the operations over it: what both the
/// bench/run suite (<see cref="Suites.EnvironmentSuite"/>) and the BenchmarkDotNet class below time.
/// </summary>
public sealed class EnvironmentBenchFixture : IDisposable
{
    private readonly AiSession _session;
    private readonly string _root;
    private int _turn;

    public EnvironmentBenchFixture(bool durable)
    {
        // On the real disk, not a tmpfs, so a durable write pays for its fsync.
        _root = Path.Combine(Environment.CurrentDirectory, "bench-home-" + Guid.NewGuid().ToString("N"));
        var home = new AiHome(_root).EnsureCreated();
        var presets = new PresetStore(home);
        File.WriteAllText(Path.Combine(_root, "key.txt"), "sk-bench-not-a-real-key-0000\n");
        foreach (var (name, url) in new[] { ("gpt", "https://api.openai.example/v1"), ("kimi", "https://api.moonshot.example/v1") })
        {
            presets.Create(new NewPresetRequest
            {
                Name = name,
                Variables = new Dictionary<string, string>
                {
                    ["OPENAI_BASE_URL"] = url,
                    ["OPENAI_API_KEY"] = "file:" + Path.Combine(_root, "key.txt"),
                    ["OPENAI_MODEL"] = name + "-model",
                    ["OPENAI_ORG"] = "org-" + name,
                },
            });
        }

        // The session's target is this process's real environment, as in a PowerShell session.
        _session = new AiSession(home, ProcessEnvironment.Instance);
        Operations = new EnvironmentOperations(_session, durable: durable);
    }

    internal EnvironmentOperations Operations { get; }

    /// <summary>Alternates between the two presets, so every switch changes something.</summary>
    public SwitchResult Switch(string? target, bool snapshot = true)
        => Operations.Switch(target, (_turn++ & 1) == 0 ? "gpt" : "kimi", snapshot: snapshot);

    public void Dispose()
    {
        _session.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}

/// <summary>
/// The same switches under BenchmarkDotNet, one switch per iteration so the percentiles are per switch:
/// <c>dotnet run -c Release --project bench/AiSwitch.Bench -- bdn --filter '*EnvironmentBenchmarks*'</c>.
/// </summary>
[Config(typeof(Config))]
public class EnvironmentBenchmarks
{
    private EnvironmentBenchFixture _fixture = null!;

    [Params(true, false)]
    public bool Durable { get; set; }

    [GlobalSetup]
    public void Setup() => _fixture = new EnvironmentBenchFixture(Durable);

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(Description = "session switch (snapshot)")]
    [BenchGoal(GoalStatistic.P99, GoalComparison.AtMost, 5, Issue = 2)]
    public SwitchResult SessionSwitch() => _fixture.Switch(null);

    [Benchmark(Description = "session switch (-NoSnapshot)")]
    public SwitchResult SessionSwitchNoSnapshot() => _fixture.Switch(null, snapshot: false);

    [Benchmark(Description = "agent switch (snapshot)")]
    [BenchGoal(GoalStatistic.P99, GoalComparison.AtMost, 5, Issue = 2)]
    public SwitchResult AgentSwitch() => _fixture.Switch("claude");

    [Benchmark(Description = "agent switch (-NoSnapshot)")]
    public SwitchResult AgentSwitchNoSnapshot() => _fixture.Switch("claude", snapshot: false);

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default
                .WithStrategy(RunStrategy.Monitoring)
                .WithInvocationCount(1)
                .WithUnrollFactor(1)
                .WithWarmupCount(30)
                .WithIterationCount(400)
                .WithOutlierMode(OutlierMode.DontRemove) // the tail is the point
                .WithId("per-switch"));
            AddColumn(StatisticColumn.Median, new PercentileColumn(99), StatisticColumn.Max);
        }
    }

    /// <summary>BenchmarkDotNet has P95 and P100 but no P99, which is what the issue's goal names.</summary>
    private sealed class PercentileColumn(int percentile) : IColumn
    {
        public string Id => $"P{percentile}";
        public string ColumnName => $"P{percentile}";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Statistics;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Time;
        public string Legend => $"Percentile {percentile} of the per-switch times";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var statistics = summary[benchmarkCase]?.ResultStatistics;
            return statistics is null ? "NA" : $"{statistics.Percentiles.Percentile(percentile) / 1_000_000.0:0.000} ms";
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
