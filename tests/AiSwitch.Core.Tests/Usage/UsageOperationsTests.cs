using AiSwitch.Core.Tests.Support;
using AiSwitch.Core.Usage;

namespace AiSwitch.Core.Tests.Usage;

public sealed class UsageOperationsTests : IDisposable
{
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.CreateCustomTimeZone("UTC+9", TimeSpan.FromHours(9), "UTC+9", "UTC+9");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private readonly TempHome _home = new();
    private readonly TokenLedger _ledger;
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 21, 20, 0, 0, TimeSpan.Zero));

    public UsageOperationsTests() => _ledger = new TokenLedger(_home.Home);

    public void Dispose() => _home.Dispose();

    private UsageOperations Operations => new(_ledger, _clock);

    private void Add(string time, string agent, string model, long input, long output, string? preset = null, string? taskType = null, decimal? cost = null)
        => _ledger.Append(new LedgerRecord
        {
            Time = DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture),
            Agent = agent, Model = model, InputTokens = input, OutputTokens = output, Preset = preset, TaskType = taskType, CostUsd = cost,
        });

    [Fact]
    public void RowsGroupByAgentModelAndPresetWithFiltersAndCosts()
    {
        Add("2026-11-21T10:00:00Z", "claude", "claude-sonnet-5", 1_000_000, 0, preset: "work");
        Add("2026-11-21T11:00:00Z", "claude", "claude-opus-4-8", 0, 1_000_000, preset: "work");
        Add("2026-11-21T12:00:00Z", "codex", "gpt-unknown-x", 10, 5, preset: "home");

        var byAgent = Operations.Query(new TokenUsageQuery { GroupBy = UsageGroupBy.Agent });
        var byModel = Operations.Query(new TokenUsageQuery { GroupBy = UsageGroupBy.Model, Agent = ["CLAUDE"] });
        var byPreset = Operations.Query(new TokenUsageQuery { GroupBy = UsageGroupBy.Preset, Model = ["gpt-unknown-x"] });

        Assert.Equal(["claude", "codex"], byAgent.Select(r => r.Group));
        Assert.Equal((1_000_000L, 1_000_000L, 2_000_000L, 2L), (byAgent[0].InputTokens, byAgent[0].OutputTokens, byAgent[0].TotalTokens, byAgent[0].Requests));
        Assert.Equal(2m + 25m, byAgent[0].CostUsd);   // Sonnet 5 at $2 and Opus 4.8 at $5 per million input tokens
        // An unpriced model is not a silent 0: no cost, and counted as unpriced.
        Assert.Equal((null, 1L), (byAgent[1].CostUsd, byAgent[1].UnpricedRequests));
        Assert.Equal(["claude-opus-4-8", "claude-sonnet-5"], byModel.Select(r => r.Group).Order());
        Assert.Equal("home", Assert.Single(byPreset).Group);
    }

    [Fact]
    public void DaysAndHoursAreCountedInTheCallersZone()
    {
        Add("2026-11-21T14:30:00Z", "a", "m", 1, 0);   // 23:30 on the 21st in UTC+9
        Add("2026-11-21T15:30:00Z", "a", "m", 2, 0);   // 00:30 on the 22nd in UTC+9

        var days = Operations.Query(new TokenUsageQuery { GroupBy = UsageGroupBy.Day, TimeZone = Tokyo });
        var hours = Operations.Query(new TokenUsageQuery { GroupBy = UsageGroupBy.Hour, TimeZone = Tokyo });
        var utcDays = Operations.Query(new TokenUsageQuery { GroupBy = UsageGroupBy.Day, TimeZone = TimeZoneInfo.Utc });

        Assert.Equal([("2026-11-21", 1L), ("2026-11-22", 2L)], days.Select(r => (r.Group, r.InputTokens)));
        Assert.Equal(["2026-11-21 23:00 +09:00", "2026-11-22 00:00 +09:00"], hours.Select(r => r.Group));
        Assert.Equal(("2026-11-21", 3L), (Assert.Single(utcDays).Group, utcDays[0].InputTokens));
    }

    [Fact]
    public void TheRepeatedHourOfADstChangeStaysTwoHours()
    {
        // 2026-11-01 01:30 EDT (05:30Z) and 01:30 EST (06:30Z) are both "01:00" local; the offset tells them apart.
        Add("2026-11-01T05:30:00Z", "a", "m", 1, 0);
        Add("2026-11-01T06:30:00Z", "a", "m", 2, 0);

        var hours = Operations.Query(new TokenUsageQuery { GroupBy = UsageGroupBy.Hour, TimeZone = NewYork });

        Assert.Equal(["2026-11-01 01:00 -04:00", "2026-11-01 01:00 -05:00"], hours.Select(r => r.Group));
    }

    [Fact]
    public void ATimeframeIsTheCurrentCalendarPeriodInTheCallersZone()
    {
        // Now is 2026-11-21 20:00Z = 05:00 on Sunday the 22nd in UTC+9.
        Add("2026-11-21T14:59:00Z", "a", "m", 1, 0);   // 23:59 on the 21st local: yesterday
        Add("2026-11-21T15:00:00Z", "a", "m", 2, 0);   // 00:00 on the 22nd local: today
        Add("2026-11-16T15:00:00Z", "a", "m", 4, 0);   // Tuesday the 17th 00:00 local: this week (from Monday the 16th)
        Add("2026-10-31T15:00:00Z", "a", "m", 8, 0);   // 1st Nov 00:00 local: this month
        Add("2026-10-31T14:00:00Z", "a", "m", 16, 0);  // 31st Oct local: last month

        long Sum(UsageTimeframe timeframe) => Operations.Query(new TokenUsageQuery { Timeframe = timeframe, TimeZone = Tokyo }).Sum(r => r.InputTokens);

        Assert.Equal(2, Sum(UsageTimeframe.Day));
        Assert.Equal(1 + 2 + 4, Sum(UsageTimeframe.Week));
        Assert.Equal(1 + 2 + 4 + 8, Sum(UsageTimeframe.Month));
        Assert.Equal(0, Sum(UsageTimeframe.Hour));
    }

    [Fact]
    public void TheSummaryHasTotalsByModelAndTaskTypeThePeakHourAndTheCostBreakdown()
    {
        Add("2026-11-21T10:05:00Z", "claude", "claude-sonnet-5", 1_000_000, 0, taskType: "parallel");
        Add("2026-11-21T10:55:00Z", "claude", "claude-sonnet-5", 1_000_000, 0, taskType: "chain");
        Add("2026-11-21T12:00:00Z", "codex", "mystery", 500_000, 0, taskType: "parallel");

        var summary = Operations.SummaryResult(new TokenUsageQuery { TimeZone = Tokyo });

        Assert.Equal((2_500_000L, 2_500_000L, 4m), (summary.TotalUsage.InputTokens, summary.TotalUsage.TotalTokens, summary.TotalUsage.CostUsd));
        Assert.Equal(2_000_000, summary.UsageByModel["claude-sonnet-5"].InputTokens);
        Assert.Null(summary.UsageByModel["mystery"].CostUsd);
        Assert.Equal(1_500_000, summary.UsageByTaskType["parallel"].InputTokens);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 19, 0, 0, TimeSpan.FromHours(9)), summary.PeakUsageTime);
        Assert.Equal(new Dictionary<string, decimal> { ["claude-sonnet-5"] = 4m }, summary.CostBreakdown);
    }

    [Fact]
    public void TheFlatSummaryHasTheSameFiguresAndBreakdownsThatReadAsOneCell()
    {
        Add("2026-11-21T10:05:00Z", "claude", "claude-sonnet-5", 1_000_000, 0, taskType: "parallel");
        Add("2026-11-21T12:00:00Z", "codex", "mystery", 500_000, 0, taskType: "parallel");

        var summary = Operations.Summary(new TokenUsageQuery { TimeZone = Tokyo });

        Assert.Equal((1_500_000L, 2L, 1L, 2m), (summary.TotalTokens, summary.Requests, summary.UnpricedRequests, summary.CostUsd));
        Assert.Equal(["claude-sonnet-5", "mystery"], summary.ByModel.Select(r => r.Group));
        Assert.Equal("claude-sonnet-5: 1000000; mystery: 500000", summary.ByModel.ToString());
        Assert.Equal("parallel: 1500000", summary.ByTaskType.ToString());
    }

    [Fact]
    public void AnEmptyWindowIsRefused()
    {
        var error = Assert.Throws<AiSwitchException>(() => Operations.Query(new TokenUsageQuery
        {
            Since = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero),
            Until = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero),
        }));

        Assert.Equal(ErrorId.InvalidArgument, error.Id);
    }
}
