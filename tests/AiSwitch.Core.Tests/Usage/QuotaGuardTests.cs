using System.Net;
using System.Text.Json;
using AiSwitch.Core.Tests.Support;
using AiSwitch.Core.Usage;

namespace AiSwitch.Core.Tests.Usage;

public sealed class QuotaGuardTests : IDisposable
{
    private readonly TempHome _home = new();
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _home.Dispose();

    /// <summary>One "session": its own ledger, alert engine and guard over the shared home.</summary>
    private (QuotaGuard Guard, TokenLedger Ledger, AlertEngine Alerts, List<AlertNotice> Events) Session()
    {
        var ledger = new TokenLedger(_home.Home);
        var alerts = new AlertEngine(_home.Home, _clock);
        var events = new List<AlertNotice>();
        alerts.Alerted += (_, notice) => events.Add(notice);
        return (new QuotaGuard(_home.Home, ledger, alerts, _clock), ledger, alerts, events);
    }

    private void Spend(TokenLedger ledger, string agent, long tokens)
        => ledger.Append(new LedgerRecord { Time = _clock.Now, Agent = agent, Model = "claude-sonnet-5", InputTokens = tokens });

    private string[] AlertLines() => File.Exists(Path.Combine(_home.Root, "logs", "alerts.jsonl"))
        ? File.ReadAllLines(Path.Combine(_home.Root, "logs", "alerts.jsonl"))
        : [];

    [Fact]
    public void SetGetAndRemoveKeepTheFileAndReportTodaysUse()
    {
        var (guard, ledger, _, _) = Session();
        Spend(ledger, "claude", 300);

        var set = guard.Set(new SetQuotaRequest { Agent = "claude", DailyTokens = 1000 });
        guard.Set(new SetQuotaRequest { Agent = "claude", DailyCostUsd = 5m, WarnAt = 0.5 });
        guard.Set(new SetQuotaRequest { Agent = "*", DailyTokens = 10_000 });
        var all = guard.Get();

        Assert.Equal((QuotaState.Ok, 300L, 700L), (set.State, set.UsedTokens, set.RemainingTokens));
        Assert.Equal(["*", "claude"], all.Select(q => q.Agent));
        Assert.Equal((1000L, 5m, 0.5), (all[1].DailyTokens, all[1].DailyCostUsd, all[1].WarnAt));
        Assert.Equal("claude", guard.Remove("Claude").Agent);
        var missing = Assert.Throws<AiSwitchException>(() => guard.Remove("claude"));
        Assert.Equal((ErrorId.QuotaNotFound, -41602), (missing.Id, missing.Code)); // not -40403, a configuration error
        Assert.Equal(["*"], guard.Get().Select(q => q.Agent));
    }

    [Fact]
    public void HugeCountsInTheLedgerSaturateInsteadOfWrappingSoTheQuotaIsSpentAndTheSummaryNeverNegative()
    {
        // Lines an older AiSwitch (or a hand edit) left: two Int64.MaxValue records once summed to -2 and read as "Ok".
        var (guard, ledger, _, _) = Session();
        Directory.CreateDirectory(ledger.Directory);
        var max = long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllLines(ledger.PathFor(_clock.Now),
        [
            $"{{\"time\":\"2026-11-21T11:00:00Z\",\"agent\":\"rogue\",\"input\":{max},\"output\":{max},\"cost_source\":\"none\"}}",
            $"{{\"time\":\"2026-11-21T11:30:00Z\",\"agent\":\"rogue\",\"input\":{max},\"output\":1,\"cost_source\":\"none\"}}",
            "{\"time\":\"2026-11-21T11:45:00Z\",\"agent\":\"rogue\",\"input\":-50,\"output\":0,\"cost_source\":\"none\"}",
        ]);

        var quota = guard.Set(new SetQuotaRequest { Agent = "rogue", DailyTokens = 1_000_000 });
        var all = guard.Set(new SetQuotaRequest { Agent = "*", DailyTokens = 1_000_000 });
        var summary = new UsageOperations(ledger, _clock).Summary(new TokenUsageQuery { TimeZone = TimeZoneInfo.Utc });

        Assert.Equal((QuotaState.Exceeded, long.MaxValue, 0L), (quota.State, quota.UsedTokens, quota.RemainingTokens));
        Assert.Equal(QuotaState.Exceeded, all.State);
        Assert.Equal((long.MaxValue, long.MaxValue, long.MaxValue, 2L), (summary.TotalTokens, summary.InputTokens, summary.OutputTokens, summary.Requests));
        Assert.Equal(long.MaxValue, Assert.Single(summary.ByModel).TotalTokens);
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData(-1L, null, null)]
    [InlineData(10L, null, 1.5)]
    public void BadQuotasAreRefused(long? tokens, double? cost, double? warnAt)
    {
        var (guard, _, _, _) = Session();
        var error = Assert.Throws<AiSwitchException>(() => guard.Set(new SetQuotaRequest { Agent = "a", DailyTokens = tokens, DailyCostUsd = (decimal?)cost, WarnAt = warnAt }));

        Assert.Equal(ErrorId.InvalidArgument, error.Id);
        Assert.False(File.Exists(Path.Combine(_home.Root, "config", "quotas.yaml")) && guard.Get().Count > 0);
    }

    [Fact]
    public void AQuotaWarnsOnceRefusesOnceSpentAndRecoversOnceSeenFromTwoSessions()
    {
        var first = Session();
        var second = Session();
        first.Guard.Set(new SetQuotaRequest { Agent = "claude", DailyTokens = 1000, WarnAt = 0.8 });
        var firstContext = new RecordingContext();
        var secondContext = new RecordingContext();

        Spend(first.Ledger, "claude", 500);
        Assert.Equal(QuotaState.Ok, first.Guard.EnsureAvailable("claude", firstContext).State);

        Spend(second.Ledger, "claude", 350); // 850: past the 80 % threshold
        Assert.Equal(QuotaState.Warn, first.Guard.EnsureAvailable("claude", firstContext).State);
        Assert.Equal(QuotaState.Warn, second.Guard.EnsureAvailable("claude", secondContext).State);
        Assert.Equal(QuotaState.Warn, first.Guard.Check("claude", firstContext).State);

        Spend(second.Ledger, "claude", 150); // 1000: spent
        var refused = Assert.Throws<AiSwitchException>(() => second.Guard.EnsureAvailable("claude", secondContext));
        Assert.Throws<AiSwitchException>(() => first.Guard.EnsureAvailable("claude", firstContext));

        Assert.Equal((ErrorId.QuotaExceeded, -41601, ErrorKind.LimitExceeded), (refused.Id, refused.Code, refused.Kind));
        Assert.Contains("'claude'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("1,000 of 1,000 tokens", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Set-AiTokenQuota", refused.Message, StringComparison.Ordinal);

        // The next UTC day starts afresh: the recovery is announced once.
        _clock.Now = _clock.Now.AddDays(1);
        Assert.Equal(QuotaState.Ok, second.Guard.EnsureAvailable("claude", secondContext).State);
        Assert.Equal(QuotaState.Ok, first.Guard.EnsureAvailable("claude", firstContext).State);

        var lines = AlertLines().Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([("raised", "Warning"), ("raised", "Critical"), ("recovered", "Ok")],
            lines.Select(l => (l.GetProperty("kind").GetString(), l.GetProperty("level").GetString())));
        Assert.Equal(3, first.Events.Count + second.Events.Count);
        Assert.Equal(3, firstContext.Warnings.Count + secondContext.Warnings.Count);
        Assert.Equal(1, firstContext.Warnings.Concat(secondContext.Warnings).Count(w => w.Contains("Alert (quota, Warning)", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheOverallQuotaCoversEveryAgent()
    {
        var (guard, ledger, _, _) = Session();
        guard.Set(new SetQuotaRequest { Agent = "*", DailyTokens = 100 });
        Spend(ledger, "claude", 60);
        Spend(ledger, "codex", 40);

        var error = Assert.Throws<AiSwitchException>(() => guard.EnsureAvailable("gemini"));

        Assert.Contains("overall daily quota", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACostQuotaCountsPricedUsage()
    {
        var (guard, ledger, _, _) = Session();
        guard.Set(new SetQuotaRequest { Agent = "claude", DailyCostUsd = 3m });
        Spend(ledger, "claude", 1_000_000); // $2 at Sonnet 5's $2 per million input tokens

        var quota = Assert.Single(guard.Get());

        Assert.Equal((QuotaState.Ok, 2m, 1m), (quota.State, quota.UsedCostUsd, quota.RemainingCostUsd));
        Spend(ledger, "claude", 250_000); // $2.50: past 80 % of $3
        Assert.Equal(QuotaState.Warn, guard.Check("claude").State);
    }

    [Fact]
    public async Task AnAlertIsPostedToTheWebhookAndFlappingIsRateLimited()
    {
        using var listener = new HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/hook/");
        listener.Start();
        Directory.CreateDirectory(Path.Combine(_home.Root, "config"));
        File.WriteAllText(Path.Combine(_home.Root, "config", "alerts.yaml"),
            $"min_interval_seconds: 600\nwebhook:\n  url: http://127.0.0.1:{port}/hook/\n");
        var (_, _, alerts, events) = Session();

        var received = listener.GetContextAsync();
        Assert.NotNull(alerts.ObserveAgentDown("claude", down: true));
        var request = await received.WaitAsync(TimeSpan.FromSeconds(30));
        using (var reader = new StreamReader(request.Request.InputStream))
        {
            var body = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement;
            Assert.Equal(("agent_down", "claude", "raised"), (body.GetProperty("rule").GetString(), body.GetProperty("subject").GetString(), body.GetProperty("kind").GetString()));
        }

        request.Response.StatusCode = 204;
        request.Response.Close();
        await alerts.FlushAsync();

        Assert.Null(alerts.ObserveAgentDown("claude", down: true)); // same level: nothing new
        _clock.Now = _clock.Now.AddMinutes(1);
        Assert.Equal("recovered", alerts.ObserveAgentDown("claude", down: false)?.Kind);
        _ = listener.GetContextAsync().ContinueWith(t => { t.Result.Response.StatusCode = 204; t.Result.Response.Close(); }, TaskScheduler.Default);
        await alerts.FlushAsync();
        _clock.Now = _clock.Now.AddMinutes(1);
        Assert.Null(alerts.ObserveAgentDown("claude", down: true));   // raised again within 10 minutes: recorded, not announced
        Assert.Null(alerts.ObserveAgentDown("claude", down: false));  // so neither is its recovery

        Assert.Equal(["raised", "recovered"], events.Select(e => e.Kind));
        Assert.Equal(2, AlertLines().Length);
    }

    [Fact]
    public async Task AFailedWebhookIsLoggedNotThrown()
    {
        var port = FreePort(); // nothing listens there
        Directory.CreateDirectory(Path.Combine(_home.Root, "config"));
        File.WriteAllText(Path.Combine(_home.Root, "config", "alerts.yaml"), $"webhook:\n  url: http://127.0.0.1:{port}/hook\n  timeout_seconds: 5\n");
        var (_, _, alerts, _) = Session();

        alerts.ObserveErrorRate("codex", errors: 5, tasks: 6);
        await alerts.FlushAsync();

        var lines = AlertLines();
        Assert.Equal(2, lines.Length);
        Assert.Contains("webhook_failed", lines[1], StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
