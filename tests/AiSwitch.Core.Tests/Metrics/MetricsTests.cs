using System.Diagnostics;
using AiSwitch.Core.Metrics;
using AiSwitch.Protocol;
using AiSwitch.Core.Tests.Support;
using AiSwitch.Core.Tests.Usage;
using AiSwitch.Core.Usage;

namespace AiSwitch.Core.Tests.Metrics;

public sealed class MetricsTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private readonly TempHome _home = new();
    private readonly ManualClock _clock = new(T0);

    public void Dispose() => _home.Dispose();

    private MetricsStore Store => new(_home.Home, _clock);

    private static AgentMetricsSample Sample(string agent, DateTimeOffset time, double cpu, long errors = 0) => new()
    {
        Agent = agent, Timestamp = time, Status = AgentStatus.Running, CpuPercent = cpu, MemoryMb = 100, Threads = 10, ErrorCount = errors, TaskCount = 3,
    };

    [Fact]
    public void TheLatestSampleOfAnAgentIsTheSamplersOwnWhenItHasOneEvenIfTheAgentReportedLater()
    {
        _clock.Now = T0.AddMinutes(1);
        Store.Append([
            Sample("claude", T0.AddSeconds(10), 25),
            new AgentMetricsSample { Agent = "claude", Timestamp = T0.AddSeconds(20), CpuPercent = 70, TaskCount = 9, Source = MetricsSources.Agent },
            new AgentMetricsSample { Agent = "reporter", Timestamp = T0.AddSeconds(20), CpuPercent = 5, Source = MetricsSources.Agent },
        ]);

        var latest = Store.Latest(TimeSpan.FromMinutes(5));

        // Prometheus' counters and the monitor must not flip between the agent's own counts and the sampler's.
        Assert.Equal([("claude", MetricsSources.Coordinator, 25.0), ("reporter", MetricsSources.Agent, 5.0)], latest.Select(s => (s.Agent, s.Source, s.CpuPercent)));
    }

    [Fact]
    public void SamplesAreQueriedRawOrAggregatedPerAgentAndInterval()
    {
        Store.Append([Sample("claude", T0, 10), Sample("claude", T0.AddSeconds(5), 30), Sample("codex", T0.AddSeconds(5), 50), Sample("claude", T0.AddMinutes(5), 90)]);

        var raw = Store.Query(new MetricsQuery { Agent = ["claude"] });
        var avg = Store.Query(new MetricsQuery { Agent = ["claude"], Start = T0, Aggregation = MetricAggregation.Avg, Interval = TimeSpan.FromMinutes(5) });
        var max = Store.Query(new MetricsQuery { Aggregation = MetricAggregation.Max });
        var protocol = Store.Query(new QueryMetricsParams { AgentId = "claude", Aggregation = MetricAggregation.Sum, MetricTypes = ["cpu_percent"] });

        Assert.Equal([10.0, 30, 90], raw.Select(s => s.CpuPercent));
        Assert.Equal([(T0, 20.0, 2), (T0.AddMinutes(5), 90.0, 1)], avg.Select(s => (s.Timestamp, s.CpuPercent, s.Samples)));
        Assert.Equal([("claude", 90.0), ("codex", 50.0)], max.Select(s => (s.Agent, s.CpuPercent)).OrderBy(p => p.Agent));
        Assert.Equal(130.0, protocol.Aggregated!["cpu_percent"]);
        Assert.Equal(1, protocol.TotalCount);
        Assert.Equal(ErrorId.InvalidArgument, Assert.Throws<AiSwitchException>(() => Store.Query(new MetricsQuery { Start = T0, End = T0 })).Id);
    }

    [Fact]
    public void FilesOlderThanTheRetentionArePruned()
    {
        Store.Append([Sample("a", T0.AddDays(-20), 1), Sample("a", T0.AddDays(-14), 1), Sample("a", T0.AddDays(-13), 1), Sample("a", T0, 1)]);

        Assert.Equal(1, Store.Prune());
        Assert.Equal(3, Store.Query(new MetricsQuery()).Count);
    }

    [Fact]
    public void TheSamplerComputesCpuFromCpuTimeOverWallTimeAndWritesInBatches()
    {
        var probe = new FakeProbe();
        var agents = new FakeAgents(new LiveAgent("claude", 4242, AgentStatus.Busy, T0.AddMinutes(-2), TaskCount: 7, ErrorCount: 1, ResponseTimeMs: 850));
        var sampler = new MetricsSampler(agents, Store, probe, _clock, batchSize: 2);

        probe.Cpu = TimeSpan.FromSeconds(10);
        var first = Assert.Single(sampler.SampleOnce());
        Assert.Empty(Store.Query(new MetricsQuery())); // batched: not written yet
        _clock.Now = T0.AddSeconds(5);
        probe.Cpu = TimeSpan.FromSeconds(11.25); // 1.25 s of CPU in 5 s: 25 %
        var second = Assert.Single(sampler.SampleOnce());

        Assert.Equal(0, first.CpuPercent);
        Assert.Equal((25.0, 512.0, 12.0, 7L, 1L, 850.0, 125.0), (second.CpuPercent, second.MemoryMb, second.Threads, second.TaskCount, second.ErrorCount, second.ResponseTimeMs, second.UptimeSeconds));
        Assert.Equal(2, Store.Query(new MetricsQuery()).Count);
        probe.Gone = true;
        Assert.Empty(sampler.SampleOnce());
    }

    [Fact]
    public void TheSamplerReportsDiskIoAndTimeToFirstTokenAndLeavesNetworkUnmeasured()
    {
        var probe = new FakeProbe { IoBytes = 3 << 20 };
        var agents = new FakeAgents(new LiveAgent("claude", 4242, AgentStatus.Idle, T0, TaskCount: 2, ResponseTimeMs: 900, FirstTokenMs: 240));
        var sampler = new MetricsSampler(agents, Store, probe, _clock, batchSize: 1);

        var sample = Assert.Single(sampler.SampleOnce());
        probe.IoBytes = null; // an OS that does not say
        var unknown = Assert.Single(sampler.SampleOnce());
        var stored = Store.Query(new MetricsQuery());
        var csv = new MetricsExporter(Store, new TokenLedger(_home.Home)).Export(MetricsFormat.Csv).Split('\n');

        Assert.Equal((3072.0, 240.0, (double?)null), (sample.DiskIoKb, sample.FirstTokenMs, sample.NetworkIoKb));
        Assert.Equal(0, unknown.DiskIoKb);
        Assert.Equal((3072.0, 240.0, (double?)null), (stored[0].DiskIoKb, stored[0].FirstTokenMs, stored[0].NetworkIoKb));
        Assert.Contains("disk_io_kb,network_io_kb,response_time_ms,first_token_ms,", csv[0], StringComparison.Ordinal);
        Assert.Contains(",3072,,900,240,", csv[1], StringComparison.Ordinal); // network empty: not measured, not zero
    }

    [Fact]
    public async Task TheProcProbeSumsTheDiskIoOfTheProcessTree()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /proc exists on Linux only; elsewhere the portable probe is used
        }

        // The parent writes nothing itself; its live child wrote 2 MiB and then waits to be killed (a sleep: a background
        // list's stdin is /dev/null, so a reader would end at once).
        var file = Path.Combine(Directory.CreateDirectory(_home.Root).FullName, "blob");
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true };
        foreach (var argument in (string[])["-c", $"(dd if=/dev/zero of='{file}' bs=64k count=32 conv=fsync 2>/dev/null; echo written; exec sleep 600) & wait"])
        {
            start.ArgumentList.Add(argument);
        }

        using var parent = Process.Start(start)!;
        try
        {
            Assert.Equal("written", await parent.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));
            var reading = new ProcessProbes.ProcProbe().Read(parent.Id);

            Assert.NotNull(reading?.IoBytes);
            Assert.InRange(reading.Value.IoBytes!.Value, 2L << 20, 64L << 20);
        }
        finally
        {
            parent.Kill(entireProcessTree: true);
            await parent.WaitForExitAsync();
        }
    }

    [Fact]
    public void TheProcProbeReadsThisProcess()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /proc exists on Linux only; elsewhere the portable probe is used
        }

        using var self = Process.GetCurrentProcess();
        var reading = new ProcessProbes.ProcProbe().Read(Environment.ProcessId);

        Assert.NotNull(reading);
        Assert.InRange(reading.Value.Threads, 2, 10_000);
        Assert.InRange(reading.Value.ResidentBytes, 10L << 20, 64L << 30);
        Assert.InRange(reading.Value.CpuTime, TimeSpan.FromMilliseconds(1), self.TotalProcessorTime + TimeSpan.FromSeconds(1));
        Assert.Null(new ProcessProbes.ProcProbe().Read(int.MaxValue));
    }

    [Fact]
    public void ThePrometheusExportPassesAStrictParse()
    {
        _clock.Now = DateTimeOffset.UtcNow;
        Store.Append([Sample("claude", _clock.Now, 12.5, errors: 2), Sample("we\"ird\\agent\nname", _clock.Now, 1)]);
        var ledger = new TokenLedger(_home.Home);
        ledger.Append(new LedgerRecord { Time = _clock.Now, Agent = "claude", Model = "claude-sonnet-5", InputTokens = 1_000_000, OutputTokens = 10, CacheReadTokens = 5 });
        ledger.Append(new LedgerRecord { Time = _clock.Now, Agent = "claude", Model = "unpriced-model", InputTokens = 3, OutputTokens = 4 });
        var exporter = new MetricsExporter(Store, ledger);

        var text = exporter.Export(MetricsFormat.Prometheus);
        var families = PrometheusParser.Parse(text);

        Assert.Equal("gauge", families["aiswitch_agent_cpu_percent"].Type);
        Assert.Equal(12.5, families["aiswitch_agent_cpu_percent"].Samples.Single(s => s.Labels["agent"] == "claude").Value);
        Assert.Contains(families["aiswitch_agent_cpu_percent"].Samples, s => s.Labels["agent"] == "we\"ird\\agent\nname");
        Assert.Equal("counter", families["aiswitch_tokens_total"].Type);
        Assert.Equal(1_000_000, families["aiswitch_tokens_total"].Samples.Single(s => s.Labels["model"] == "claude-sonnet-5" && s.Labels["kind"] == "input").Value);
        Assert.Equal(1, families["aiswitch_unpriced_requests_total"].Samples.Single(s => s.Labels["model"] == "unpriced-model").Value);
        Assert.All(families.Values, f => Assert.NotNull(f.Help));

        // Counters only grow: a later append is read incrementally and adds to them.
        ledger.Append(new LedgerRecord { Time = _clock.Now, Agent = "claude", Model = "claude-sonnet-5", InputTokens = 1 });
        var again = PrometheusParser.Parse(exporter.Export(MetricsFormat.Prometheus));
        Assert.Equal(1_000_001, again["aiswitch_tokens_total"].Samples.Single(s => s.Labels["model"] == "claude-sonnet-5" && s.Labels["kind"] == "input").Value);
    }

    [Theory]
    [InlineData("a_total 1")]                                      // no final newline
    [InlineData("# TYPE a counter\na 1\n")]                        // counter without _total
    [InlineData("# TYPE a gauge\n# TYPE a gauge\na 1\n")]          // two TYPE lines
    [InlineData("a 1\nb 1\na 2\n")]                                // interleaved families
    [InlineData("a{x=\"\\q\"} 1\n")]                               // bad escape
    [InlineData("a{__x=\"1\"} 1\n")]                               // reserved label name
    [InlineData("a 1\na 2\n")]                                     // duplicate series
    [InlineData("9a 1\n")]                                         // bad metric name
    [InlineData("a Infinity\n")]                                   // not Go float syntax
    public void TheStrictParserRejectsInvalidExpositions(string text)
        => Assert.Throws<FormatException>(() => PrometheusParser.Parse(text));

    [Fact]
    public void CsvAndJsonExportTheQueriedSamples()
    {
        Store.Append([Sample("claude", T0, 10), Sample("co,dex", T0, 20)]);
        var exporter = new MetricsExporter(Store, new TokenLedger(_home.Home));

        var csv = exporter.Export(MetricsFormat.Csv).TrimEnd('\n').Split('\n');
        var json = System.Text.Json.JsonDocument.Parse(exporter.Export(MetricsFormat.Json, new MetricsQuery { Agent = ["claude"] }));

        Assert.Equal(3, csv.Length);
        Assert.StartsWith("agent,timestamp,status", csv[0], StringComparison.Ordinal);
        Assert.StartsWith("\"co,dex\",", csv[2], StringComparison.Ordinal);
        Assert.Equal("claude", Assert.Single(json.RootElement.EnumerateArray()).GetProperty("agent").GetString());
    }

    [Fact]
    public async Task TheServerAnswersMetricsOnLoopbackUntilCancelled()
    {
        var exporter = new MetricsExporter(Store, new TokenLedger(_home.Home));
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        var port = ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        using var cancel = new CancellationTokenSource();
        var ready = new TaskCompletionSource<string>();
        var serving = MetricsServer.RunAsync(exporter, port, url => ready.SetResult(url), null, cancel.Token);

        var url = await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient();
        using var response = await http.GetAsync(url);
        var notFound = await http.GetAsync($"http://127.0.0.1:{port}/other");
        PrometheusParser.Parse(await response.Content.ReadAsStringAsync());
        await cancel.CancelAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, notFound.StatusCode);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => serving.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private sealed class FakeProbe : IProcessProbe
    {
        public TimeSpan Cpu { get; set; }

        public bool Gone { get; set; }

        public long? IoBytes { get; set; }

        public ProcessReading? Read(int processId) => Gone ? null : new ProcessReading(Cpu, 512L << 20, 12, IoBytes);
    }

    private sealed class FakeAgents(params LiveAgent[] agents) : ILiveAgentSource
    {
        public IReadOnlyList<LiveAgent> RunningAgents() => agents;
    }
}
