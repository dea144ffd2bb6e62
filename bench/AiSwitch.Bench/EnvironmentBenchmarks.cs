using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using AiSwitch.Core.Environments;
using AiSwitch.Core.Home;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Presets;
using Perfolizer.Mathematics.OutlierDetection;

namespace AiSwitch.Bench;

/// <summary>
/// Issue 2: a session and an agent environment switch in process, goal p99 ≤ 5 ms (seed: &lt; 1 s).
/// Each iteration is ONE switch (alternating between two presets), so the percentiles are per switch.
/// <c>Durable</c> flushes the snapshot and the agent record to disk before the rename (the default);
/// false shows what the fsyncs cost. Run: <c>dotnet run -c Release --project bench/AiSwitch.Bench -- --filter '*Environment*'</c>.
/// </summary>
[Config(typeof(Config))]
public class EnvironmentBenchmarks
{
    private AiSession _session = null!;
    private EnvironmentOperations _operations = null!;
    private string _root = null!;
    private int _turn;

    [Params(true, false)]
    public bool Durable { get; set; }

    [GlobalSetup]
    public void Setup()
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

        _session = new AiSession(home, ProcessEnvironment.Instance);
        _operations = new EnvironmentOperations(_session, durable: Durable);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _session.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private string NextPreset() => (_turn++ & 1) == 0 ? "gpt" : "kimi";

    [Benchmark(Description = "session switch (snapshot)")]
    public SwitchResult SessionSwitch() => _operations.Switch(null, NextPreset());

    [Benchmark(Description = "session switch (-NoSnapshot)")]
    public SwitchResult SessionSwitchNoSnapshot() => _operations.Switch(null, NextPreset(), snapshot: false);

    [Benchmark(Description = "agent switch (snapshot)")]
    public SwitchResult AgentSwitch() => _operations.Switch("claude", NextPreset());

    [Benchmark(Description = "agent switch (-NoSnapshot)")]
    public SwitchResult AgentSwitchNoSnapshot() => _operations.Switch("claude", NextPreset(), snapshot: false);

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

    /// <summary>BenchmarkDotNet has P95 and P100 but no P99, which is what the goal names.</summary>
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
