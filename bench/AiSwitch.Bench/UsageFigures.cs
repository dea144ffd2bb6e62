using System.Diagnostics;
using System.Globalization;
using AiSwitch.Core.Home;
using AiSwitch.Core.Metrics;
using AiSwitch.Protocol;
using AiSwitch.Core.Tests.Usage;
using AiSwitch.Core.Usage;

namespace AiSwitch.Bench;

/// <summary>
/// Issue 6's figures: <c>dotnet run -c Release --project bench/AiSwitch.Bench -- usage-figures [RECORDS] [IMPORT_MB]</c>.
/// A summary over 1,000,000 ledger records (goal ≤ 1 s), the import of 100 MB of Claude Code logs, and the sampler's
/// CPU cost at 10 agent processes (goal ≤ 1 % of one core at one sample every 5 s).
/// </summary>
public static class UsageFigures
{
    public static void Run(string[] args)
    {
        var records = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var importMb = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
        var root = Path.Combine(Path.GetTempPath(), "aiswitch-usage-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            Summary(new AiHome(Path.Combine(root, "summary")), records);
            Import(new AiHome(Path.Combine(root, "import")), Path.Combine(root, "claude-projects"), importMb);
            Sampler(new AiHome(Path.Combine(root, "sampler")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>A ledger of <paramref name="count"/> synthetic records over 30 days: 10 agents, 8 models (one unpriced).</summary>
    internal static TokenLedger WriteLedger(AiHome home, int count)
    {
        var ledger = new TokenLedger(home);
        var agents = new[] { "claude", "codex", "gemini", "claude-2", "codex-2", "api-1", "api-2", "local", "review", "docs" };
        var models = new[] { "claude-opus-4-8", "claude-sonnet-5", "gpt-5.1-codex", "gpt-5-mini", "gemini-2.5-flash", "gemini-2.5-pro", "unknown-model", "claude-haiku-4-5" };
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        var random = new Random(6);
        var batch = new List<LedgerRecord>(50_000);
        for (var i = 0; i < count; i++)
        {
            batch.Add(new LedgerRecord
            {
                Time = start.AddSeconds(i * (30.0 * 86400 / count)),
                Agent = agents[random.Next(agents.Length)], Model = models[random.Next(models.Length)], Adapter = "claude-code", Preset = "work",
                TaskId = "task-" + i.ToString(CultureInfo.InvariantCulture), TaskType = i % 3 == 0 ? "chain" : "parallel",
                InputTokens = random.Next(100, 50_000), OutputTokens = random.Next(10, 4_000), CacheReadTokens = random.Next(0, 90),
                SessionId = "00000000-0000-0000-0000-000000000000", RequestId = "req_" + i.ToString(CultureInfo.InvariantCulture),
            });
            if (batch.Count == batch.Capacity)
            {
                ledger.AppendMany(batch, null);
                batch.Clear();
            }
        }

        ledger.AppendMany(batch, null);
        return ledger;
    }

    private static void Summary(AiHome home, int count)
    {
        var ledger = WriteLedger(home, count);
        var bytes = ledger.Files().Sum(f => new FileInfo(f).Length);
        var usage = new UsageOperations(ledger);
        var query = new TokenUsageQuery { TimeZone = TimeZoneInfo.Local };
        var cold = Time(() => usage.Summary(query));
        var runs = Enumerable.Range(0, 5).Select(_ => Time(() => usage.Summary(query))).OrderBy(r => r.Elapsed).ToList();
        var byHour = Time(() => usage.Query(new TokenUsageQuery { GroupBy = UsageGroupBy.Hour, TimeZone = TimeZoneInfo.Local }));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ledger summary: {count:N0} records, {bytes / 1048576.0:0} MB in {ledger.Files().Count} day files, {Environment.ProcessorCount} cores, load average {LoadAverage()}: " +
            $"first {cold.Elapsed.TotalMilliseconds:0} ms, then best {runs[0].Elapsed.TotalMilliseconds:0} ms / median {runs[2].Elapsed.TotalMilliseconds:0} ms wall " +
            $"(CPU {runs[0].Cpu.TotalMilliseconds:0} ms over all threads; goal <= 1000 ms); rows by hour {byHour.Elapsed.TotalMilliseconds:0} ms, " +
            $"{byHour.Allocated / 1048576.0:0.0} MB allocated"));
    }

    private static void Import(AiHome home, string projects, int megabytes)
    {
        var expected = AgentLogFixtures.WriteClaudeCode(projects, sessions: 1, turns: 40, targetBytes: megabytes * 1048576L);
        var bytes = Directory.EnumerateFiles(projects, "*.jsonl", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        var importer = new UsageImporter(home, new TokenLedger(home));
        ImportUsageResult? result = null;
        var (elapsed, allocated, cpu) = Time(() => result = importer.Import(new ImportUsageRequest { Source = UsageImportSource.ClaudeCode, Path = [projects] }));
        var (again, _, _) = Time(() => importer.Import(new ImportUsageRequest { Source = UsageImportSource.ClaudeCode, Path = [projects] }));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"claude code import: {bytes / 1048576.0:0} MB, {result!.Files} files, {result.Added:N0} calls (expected {expected.Calls:N0}), {result.Skipped:N0} repeats skipped: " +
            $"{elapsed.TotalMilliseconds:0} ms wall, {cpu.TotalMilliseconds:0} ms CPU ({bytes / 1048576.0 / elapsed.TotalSeconds:0} MB/s), {allocated / 1048576.0:0} MB allocated; second import {again.TotalMilliseconds:0} ms, added 0"));
    }

    private static void Sampler(AiHome home)
    {
        var sleepers = Enumerable.Range(0, 10).Select(_ => Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!).ToList();
        try
        {
            var agents = new Sleepers(sleepers.Select((p, i) => new LiveAgent("agent-" + i, p.Id, AgentStatus.Running, DateTimeOffset.UtcNow)).ToList());
            var sampler = new MetricsSampler(agents, new MetricsStore(home), batchSize: 60);
            for (var i = 0; i < 50; i++)
            {
                sampler.SampleOnce(); // warm-up
            }

            const int Samples = 2_000;
            using var self = Process.GetCurrentProcess();
            self.Refresh();
            var cpuBefore = self.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            for (var i = 0; i < Samples; i++)
            {
                sampler.SampleOnce();
            }

            sampler.Flush();
            self.Refresh();
            var cpuPerSample = (self.TotalProcessorTime - cpuBefore) / Samples;
            var share = cpuPerSample / MetricsSampler.DefaultInterval * 100;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sampler: 10 processes, {Samples} samples in {wall.ElapsedMilliseconds} ms: {cpuPerSample.TotalMicroseconds:0} µs CPU per sample of all 10 (incl. batched writes), " +
                $"= {share:0.000} % of one core at one sample every {MetricsSampler.DefaultInterval.TotalSeconds:0} s (goal <= 1 %)"));
        }
        finally
        {
            foreach (var sleeper in sleepers)
            {
                sleeper.Kill();
                sleeper.Dispose();
            }
        }
    }

    /// <summary>Wall time, CPU time (all threads of this process) and bytes allocated by <paramref name="work"/>.</summary>
    private static (TimeSpan Elapsed, long Allocated, TimeSpan Cpu) Time(Action work)
    {
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        work();
        var elapsed = watch.Elapsed;
        return (elapsed, GC.GetTotalAllocatedBytes(precise: true) - allocated, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    private static (TimeSpan Elapsed, long Allocated, TimeSpan Cpu) Time<T>(Func<T> work) => Time(() => { _ = work(); });

    private static string LoadAverage()
        => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private sealed class Sleepers(IReadOnlyList<LiveAgent> agents) : ILiveAgentSource
    {
        public IReadOnlyList<LiveAgent> RunningAgents() => agents;
    }
}
