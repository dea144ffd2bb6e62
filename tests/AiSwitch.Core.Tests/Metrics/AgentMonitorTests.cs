using AiSwitch.Core.Metrics;
using AiSwitch.Protocol;
using AiSwitch.Core.Tests.Support;
using AiSwitch.Core.Tests.Usage;
using AiSwitch.Core.Usage;

namespace AiSwitch.Core.Tests.Metrics;

public sealed class AgentMonitorTests : IDisposable
{
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void ARowJoinsTheLatestSampleTodaysUsageAndTheQuota()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var ledger = new TokenLedger(_home.Home);
        var store = new MetricsStore(_home.Home, clock);
        var quotas = new QuotaGuard(_home.Home, ledger, new AlertEngine(_home.Home, clock), clock);
        store.Append([new AgentMetricsSample { Agent = "claude", Timestamp = clock.Now, Status = AgentStatus.Busy, CpuPercent = 12.5, MemoryMb = 300, TaskCount = 4 }]);
        ledger.Append(new LedgerRecord { Time = clock.Now, Agent = "claude", Model = "claude-sonnet-5", InputTokens = 900 });
        ledger.Append(new LedgerRecord { Time = clock.Now, Agent = "codex", Model = "gpt-5", InputTokens = 5 });
        quotas.Set(new SetQuotaRequest { Agent = "claude", DailyTokens = 1000 });
        var monitor = new AgentMonitor(store, quotas, clock);

        var rows = monitor.Snapshot();
        var frame = monitor.Frame(rows, 200, clock.Now);

        Assert.Equal(["claude", "codex"], rows.Select(r => r.Agent));
        Assert.Equal(("busy", 12.5, 900L, "Warn"), (rows[0].Status, rows[0].CpuPercent, rows[0].TokensToday, rows[0].Quota));
        Assert.Equal(("-", null, 5L), (rows[1].Status, rows[1].CpuPercent, rows[1].TokensToday));
        Assert.StartsWith("\u001b[H", frame, StringComparison.Ordinal);
        Assert.EndsWith("\u001b[J", frame, StringComparison.Ordinal);
        Assert.All(frame.Split('\n')[..^1], line => Assert.EndsWith("\u001b[K", line, StringComparison.Ordinal));
        Assert.Contains("Total today: 905 tokens", frame, StringComparison.Ordinal);
        Assert.All(monitor.Frame(rows, 40, clock.Now).Split('\n')[..^1], line => Assert.True(line.Length <= 40 + 3 + 3));

        // Usage appended after a snapshot shows in the next one.
        ledger.Append(new LedgerRecord { Time = clock.Now, Agent = "claude", Model = "claude-sonnet-5", InputTokens = 200 });
        var later = monitor.Snapshot();
        Assert.Equal((1100L, "Exceeded"), (later[0].TokensToday, later[0].Quota));
    }

    [Fact]
    public void StatusIsTheAgentsStatusNowAndAnOldSampleSaysHowOldItIs()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var ledger = new TokenLedger(_home.Home);
        var store = new MetricsStore(_home.Home, clock);
        var quotas = new QuotaGuard(_home.Home, ledger, new AlertEngine(_home.Home, clock), clock);
        store.Append([
            new AgentMetricsSample { Agent = "claude", Timestamp = clock.Now.AddMinutes(-3), Status = AgentStatus.Idle, MemoryMb = 300 },
            new AgentMetricsSample { Agent = "codex", Timestamp = clock.Now.AddSeconds(-2), Status = AgentStatus.Busy, MemoryMb = 200 },
        ]);
        var live = new Dictionary<string, AgentNow>(StringComparer.OrdinalIgnoreCase)
        {
            ["claude"] = new(AgentStatus.Stopped), // stopped since its last sample
            ["codex"] = new(AgentStatus.Busy, 40), // its task said 40 % (task.status)
            ["gemini"] = new(AgentStatus.Starting), // not sampled yet
        };
        var monitor = new AgentMonitor(store, quotas, clock, () => live);

        var rows = monitor.Snapshot();
        var frame = monitor.Frame(rows, 200, clock.Now);

        Assert.Equal(["claude", "codex", "gemini"], rows.Select(r => r.Agent));
        Assert.Equal(("stopped", 180.0), (rows[0].Status, rows[0].SampleAgeSeconds));
        Assert.Equal(("busy", 2.0, 40.0), (rows[1].Status, rows[1].SampleAgeSeconds, rows[1].Progress));
        Assert.Equal(("starting", null), (rows[2].Status, rows[2].SampleAgeSeconds));
        Assert.Matches(@"claude\s+stopped .*\b3m\b", frame);
        Assert.DoesNotMatch(@"codex\s+busy .*\b2s\b", frame); // a fresh sample needs no age
        Assert.Matches(@"codex\s+busy 40%", frame);
    }
}
