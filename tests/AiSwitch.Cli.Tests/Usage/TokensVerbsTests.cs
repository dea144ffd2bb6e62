using System.Text.Json;
using AiSwitch.Core.Home;
using AiSwitch.Core.Usage;

namespace AiSwitch.Cli.Tests.Usage;

public sealed class TokensVerbsTests
{
    private static void Spend(CliRunner.TempHome home, string agent, string model, long input, DateTimeOffset? time = null)
        => new TokenLedger(new AiHome(home.Root)).Append(new LedgerRecord { Time = time ?? DateTimeOffset.UtcNow, Agent = agent, Model = model, InputTokens = input, OutputTokens = 10 });

    [Fact]
    public void SummaryPrintsRowsAsTableJsonAndCsv()
    {
        using var home = new CliRunner.TempHome();
        Spend(home, "claude", "claude-sonnet-5", 1_000_000);
        Spend(home, "codex", "gpt-5", 500);
        Spend(home, "codex", "gpt-5", 7, DateTimeOffset.UtcNow.AddDays(-40));

        var table = CliRunner.Run(home, "tokens", "summary");
        var json = CliRunner.Run(home, "tokens", "summary", "--all", "--agent", "codex", "--output-format", "json");
        var csv = CliRunner.Run(home, "tokens", "summary", "--all", "--group-by", "model", "--output-format", "csv");
        var summary = CliRunner.Run(home, "tokens", "summary", "--all", "--summary");

        Assert.Equal(0, table.Code);
        Assert.Contains("claude", table.Output, StringComparison.Ordinal);
        var rows = JsonDocument.Parse(json.Output).RootElement;
        Assert.Equal(("codex", 507L), (rows[0].GetProperty("group").GetString(), rows[0].GetProperty("input_tokens").GetInt64()));
        Assert.StartsWith("Group,InputTokens,OutputTokens", csv.Output, StringComparison.Ordinal);
        Assert.Contains("claude-sonnet-5,1000000,", csv.Output, StringComparison.Ordinal);
        Assert.Equal(1_000_507, JsonDocument.Parse(summary.Output).RootElement.GetProperty("total_usage").GetProperty("input_tokens").GetInt64());
    }

    [Fact]
    public void PricesShowTheTableWithItsSourceAndAPricingYamlRowWins()
    {
        using var home = new CliRunner.TempHome();
        var json = CliRunner.Run(home, "tokens", "prices", "sonnet", "claude-haiku*", "--output-format", "json");
        Directory.CreateDirectory(Path.Combine(home.Root, "config"));
        File.WriteAllText(Path.Combine(home.Root, "config", "pricing.yaml"), "models:\n  claude-sonnet-5:\n    input: 3\n    output: 15\n");
        var overridden = CliRunner.Run(home, "tokens", "prices", "sonnet", "--output-format", "json");
        var table = CliRunner.Run(home, "tokens", "prices");

        Assert.Equal(0, json.Code);
        var rows = JsonDocument.Parse(json.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal(["claude-sonnet-5", "claude-haiku-4-5"], rows.Select(r => r.GetProperty("model").GetString()));
        Assert.Equal((2m, 10m, 0.2m, 2.5m, 4m), (rows[0].GetProperty("input_usd").GetDecimal(), rows[0].GetProperty("output_usd").GetDecimal(),
            rows[0].GetProperty("cache_read_usd").GetDecimal(), rows[0].GetProperty("cache_write_usd").GetDecimal(), rows[0].GetProperty("cache_write1h_usd").GetDecimal()));
        Assert.Contains("BerriAI/litellm", rows[0].GetProperty("source").GetString(), StringComparison.Ordinal);
        var mine = Assert.Single(JsonDocument.Parse(overridden.Output).RootElement.EnumerateArray());
        Assert.Equal((3m, true), (mine.GetProperty("input_usd").GetDecimal(), mine.GetProperty("is_override").GetBoolean()));
        Assert.Contains("CacheWrite1hUsd", table.Output, StringComparison.Ordinal);
        Assert.Contains("gpt-5-codex", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void QuotasAreSetListedAndRemovedAndAMissingOneIsAnError()
    {
        using var home = new CliRunner.TempHome();
        Spend(home, "claude", "claude-sonnet-5", 80); // 80 in + 10 out: 90 of 100

        var set = CliRunner.Run(home, "tokens", "quota", "set", "claude", "--daily-tokens", "100", "--output-format", "json");
        var list = CliRunner.Run(home, "tokens", "quota", "list");
        var removed = CliRunner.Run(home, "tokens", "quota", "remove", "claude");
        var missing = CliRunner.Run(home, "tokens", "quota", "remove", "claude");

        Assert.Equal(0, set.Code);
        var quota = JsonDocument.Parse(set.Output).RootElement[0];
        Assert.Equal(("warn", 90L), (quota.GetProperty("state").GetString(), quota.GetProperty("used_tokens").GetInt64()));
        Assert.Contains("Warn", list.Output, StringComparison.Ordinal);
        Assert.Equal(0, removed.Code);
        Assert.Equal(3, missing.Code);
        Assert.StartsWith("aiswitch: QuotaNotFound (-41602):", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportTakesTheAgentNamesAsSourcesAndClaudeCodeStill()
    {
        using var home = new CliRunner.TempHome();
        var logs = Path.Combine(home.Root, "claude-projects");
        Directory.CreateDirectory(logs);
        File.WriteAllText(Path.Combine(logs, "s1.jsonl"),
            "{\"type\":\"assistant\",\"sessionId\":\"s1\",\"timestamp\":\"2026-11-21T10:00:01Z\",\"requestId\":\"req_1\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-opus-4-8\",\"content\":[{\"type\":\"text\"}],\"usage\":{\"input_tokens\":10,\"output_tokens\":50}}}\n");

        var claude = CliRunner.Run(home, "tokens", "import", "claude", logs, "--output-format", "json");
        var old = CliRunner.Run(home, "tokens", "import", "claudecode", logs, "--output-format", "json");
        var gemini = CliRunner.Run(home, "tokens", "import", "gemini", Path.Combine(home.Root, "none"));

        Assert.True(claude.Code == 0, claude.Error);
        var first = JsonDocument.Parse(claude.Output).RootElement[0];
        Assert.Equal(("claude", 1L), (first.GetProperty("source").GetString(), first.GetProperty("added").GetInt64()));
        Assert.True(old.Code == 0, old.Error);
        var again = JsonDocument.Parse(old.Output).RootElement[0];
        Assert.Equal(("claude", 0L, 1L), (again.GetProperty("source").GetString(), again.GetProperty("added").GetInt64(), again.GetProperty("skipped").GetInt64()));
        Assert.StartsWith("aiswitch: UsageImportSourceNotFound", gemini.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void MetricsShowMarksWhatAnAgentReportedApartFromWhatAiSwitchSampled()
    {
        using var home = new CliRunner.TempHome();
        var now = DateTimeOffset.UtcNow;
        new Core.Metrics.MetricsStore(new AiHome(home.Root)).Append([
            new AgentMetricsSample { Agent = "claude", Timestamp = now.AddSeconds(-2), CpuPercent = 12.5, Source = MetricsSources.Agent },
            new AgentMetricsSample { Agent = "claude", Timestamp = now.AddSeconds(-1), CpuPercent = 40 },
        ]);

        var table = CliRunner.Run(home, "metrics", "show", "--agent", "claude");
        var json = CliRunner.Run(home, "metrics", "show", "--agent", "claude", "--output-format", "json");

        Assert.True(table.Code == 0, table.Error);
        Assert.Contains("Source", table.Output, StringComparison.Ordinal);
        Assert.Matches(@"claude\s+agent\s", table.Output);
        Assert.Matches(@"claude\s+coordinator\s", table.Output);
        var rows = JsonDocument.Parse(json.Output).RootElement.EnumerateArray().Select(r => (r.GetProperty("source").GetString(), r.GetProperty("cpu_percent").GetDouble()));
        Assert.Equal([("agent", 12.5), ("coordinator", 40.0)], rows);
    }

    [Fact]
    public void MetricsShowSystemPrintsTheHostSamplesAndRefusesAgents()
    {
        using var home = new CliRunner.TempHome();
        var store = new AiSwitch.Core.Metrics.MetricsStore(new AiHome(home.Root));
        store.AppendSystem([new SystemMetricsSample { Timestamp = DateTimeOffset.UtcNow, CpuPercent = 42.5, MemoryUsedMb = 1100, MemoryTotalMb = 4000, Load1 = 0.75, Processors = 2 }]);

        var table = CliRunner.Run(home, "metrics", "show", "--system");
        var json = CliRunner.Run(home, "metrics", "show", "--system", "--output-format", "json");
        var withAgent = CliRunner.Run(home, "metrics", "show", "--system", "--agent", "claude");

        Assert.True(table.Code == 0, table.Error);
        Assert.Contains("MemoryUsedMb", table.Output, StringComparison.Ordinal);
        Assert.Contains("42.5", table.Output, StringComparison.Ordinal);
        var row = JsonDocument.Parse(json.Output).RootElement[0];
        Assert.Equal((42.5, 4000.0, 0.75), (row.GetProperty("cpu_percent").GetDouble(), row.GetProperty("memory_total_mb").GetDouble(), row.GetProperty("load1").GetDouble()));
        Assert.Equal(4, withAgent.Code);
        Assert.Contains("leave out Agent, Aggregation and Interval with System", withAgent.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void MetricsExportPrintsPrometheusText()
    {
        using var home = new CliRunner.TempHome();
        Spend(home, "claude", "claude-sonnet-5", 5);

        var result = CliRunner.Run(home, "metrics", "export");

        Assert.Equal(0, result.Code);
        Assert.Contains("# TYPE aiswitch_tokens_total counter", result.Output, StringComparison.Ordinal);
        Assert.Contains("aiswitch_tokens_total{agent=\"claude\",model=\"claude-sonnet-5\",kind=\"input\"} 5", result.Output, StringComparison.Ordinal);
    }
}

public sealed class MonitorVerbsTests
{
    [Fact]
    public void TheRealTimeMonitorRedrawsInPlaceAndStopsOnCtrlC()
    {
        using var home = new CliRunner.TempHome();
        new TokenLedger(new AiHome(home.Root)).Append(new LedgerRecord { Time = DateTimeOffset.UtcNow, Agent = "claude", Model = "claude-sonnet-5", InputTokens = 1234 });
        using var ctrlC = new CancellationTokenSource();
        var screen = new FrameCounter(frames: 3, ctrlC);

        var (code, error) = CliRunner.Run(home, screen, ctrlC.Token, "monitor", "--real-time", "--interval", "0.1");

        var text = screen.ToString();
        Assert.True(code == 0, error);
        Assert.StartsWith(AiSwitch.Core.Metrics.AgentMonitor.EnterScreen, text, StringComparison.Ordinal);
        Assert.EndsWith(AiSwitch.Core.Metrics.AgentMonitor.LeaveScreen, text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[2J", text, StringComparison.Ordinal); // never a full clear: no flicker
        Assert.Equal(3, text.Split("\u001b[H").Length - 1);
        Assert.Contains("1,234", text, StringComparison.Ordinal);
        // The header reads the host live: from the second frame on, a CPU share since the frame before.
        Assert.Matches(@"Host: CPU [0-9.]+ %  memory [0-9,]+ / [0-9,]+ MB  load [0-9.]+ [0-9.]+ [0-9.]+  \d+ cores", text);
    }

    [Fact]
    public void WithoutRealTimeItPrintsTheRowsOnce()
    {
        using var home = new CliRunner.TempHome();
        new TokenLedger(new AiHome(home.Root)).Append(new LedgerRecord { Time = DateTimeOffset.UtcNow, Agent = "codex", Model = "gpt-5", InputTokens = 10 });

        var result = CliRunner.Run(home, "monitor", "--output-format", "json");

        Assert.Equal(0, result.Code);
        Assert.Equal(10, JsonDocument.Parse(result.Output).RootElement[0].GetProperty("tokens_today").GetInt64());
    }

    /// <summary>A terminal that presses Ctrl+C once it has been sent the given number of frames.</summary>
    private sealed class FrameCounter(int frames, CancellationTokenSource ctrlC) : StringWriter
    {
        private int _seen;

        public override void Write(string? value)
        {
            base.Write(value);
            if (value is not null && value.EndsWith("\u001b[J", StringComparison.Ordinal) && ++_seen == frames)
            {
                ctrlC.Cancel();
            }
        }
    }
}
