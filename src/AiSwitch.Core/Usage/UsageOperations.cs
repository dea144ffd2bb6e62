using System.Globalization;
using AiSwitch.Core.Hosting;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Usage;

/// <summary>
/// Reports over the token ledger (<c>Get-AiTokenUsage</c>, <c>aiswitch tokens summary</c>, <c>tokens.summary</c>).
/// Records are stored in UTC; days and hours are counted in the caller's time zone.
/// </summary>
internal sealed class UsageOperations
{
    private const string Unnamed = "(none)";
    private static readonly long QuarterHour = TimeSpan.FromMinutes(15).Ticks;

    private readonly TokenLedger _ledger;
    private readonly TimeProvider _clock;

    public UsageOperations(TokenLedger ledger, TimeProvider? clock = null)
    {
        _ledger = ledger;
        _clock = clock ?? TimeProvider.System;
    }

    public static UsageOperations For(AiSession session) => new(TokenLedger.For(session), session.Clock);

    /// <summary>Agent names seen in the last week's ledger and in the quotas: for tab completion.</summary>
    public static IReadOnlyList<string> KnownAgents(Home.AiHome home, TimeProvider? clock = null)
        => SeenLastWeek(home, clock, r => r.Agent, new QuotaStore(home).Read().Select(q => q.Agent));

    /// <summary>Model names seen in the last week's ledger: for tab completion.</summary>
    public static IReadOnlyList<string> KnownModels(Home.AiHome home, TimeProvider? clock = null)
        => SeenLastWeek(home, clock, r => r.Model, []);

    private static IReadOnlyList<string> SeenLastWeek(Home.AiHome home, TimeProvider? clock, Func<LedgerRecord, string?> name, IEnumerable<string> also)
    {
        var names = new SortedSet<string>(also, StringComparer.OrdinalIgnoreCase);
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        new TokenLedger(home, () => throw new InvalidOperationException("Reading prices nothing.")).Scan(now.AddDays(-7), null, r =>
        {
            if (name(r) is { Length: > 0 } seen)
            {
                names.Add(seen);
            }
        }, null);
        return [.. names];
    }

    /// <summary>Flat rows, one per group, for tables and Export-Csv.</summary>
    public IReadOnlyList<TokenUsageRow> Query(TokenUsageQuery query, IOperationContext? context = null)
    {
        var zone = query.TimeZone ?? TimeZoneInfo.Local;
        var parts = Scan(query, zone, () => (Keys: new LocalTimeKeys(zone), Groups: new Dictionary<string, UsageTotals>(StringComparer.OrdinalIgnoreCase), Unpriced: new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase)), (state, record) =>
        {
            CountUnpriced(state.Unpriced, record);
            var key = query.GroupBy switch
            {
                UsageGroupBy.Model => record.Model ?? Unnamed,
                UsageGroupBy.Preset => record.Preset ?? Unnamed,
                UsageGroupBy.Day => state.Keys.Day(record.Time),
                UsageGroupBy.Hour => state.Keys.Hour(record.Time),
                _ => record.Agent,
            };
            Totals(state.Groups, key).Add(record);
        }, context);

        var groups = new Dictionary<string, UsageTotals>(StringComparer.OrdinalIgnoreCase);
        var unpriced = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in parts)
        {
            Merge(groups, part.Groups);
            MergeCounts(unpriced, part.Unpriced);
        }

        WarnUnpriced(unpriced, context);

        var rows = groups.Select(g => Row(g.Key, g.Value));
        return query.GroupBy is UsageGroupBy.Day or UsageGroupBy.Hour
            ? [.. rows.OrderBy(r => r.Group, StringComparer.Ordinal)]
            : [.. rows.OrderByDescending(r => r.TotalTokens).ThenBy(r => r.Group, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Get-AiTokenUsage -Summary: the totals, the breakdowns by model and task type, and the peak hour.</summary>
    public TokenSummary Summary(TokenUsageQuery query, IOperationContext? context = null)
    {
        var summary = Summarize(query, context);
        WarnUnpriced(summary.Unpriced, context);
        return new TokenSummary
        {
            InputTokens = summary.Total.Input,
            OutputTokens = summary.Total.Output,
            CacheReadTokens = summary.Total.CacheRead,
            CacheWriteTokens = summary.Total.CacheWrite,
            ReasoningTokens = summary.Total.Reasoning,
            TotalTokens = summary.Total.Total,
            CostUsd = summary.Total.Cost,
            Requests = summary.Total.Requests,
            UnpricedRequests = summary.Total.Unpriced,
            UnpricedModels = [.. summary.Unpriced.Keys.Order(StringComparer.OrdinalIgnoreCase)],
            PeakUsageTime = summary.Peak,
            ByModel = Breakdown(summary.ByModel),
            ByTaskType = Breakdown(summary.ByTaskType),
        };
    }

    /// <summary>Seed 003's TokenSummaryResult: the total, by model, by task type, the peak hour and the cost by model.</summary>
    public TokenSummaryResult SummaryResult(TokenUsageQuery query, IOperationContext? context = null)
    {
        var summary = Summarize(query, context);
        return new TokenSummaryResult
        {
            TotalUsage = summary.Total.ToTokenUsage(),
            UsageByModel = summary.ByModel.ToDictionary(p => p.Key, p => p.Value.ToTokenUsage(p.Key == Unnamed ? null : p.Key)),
            UsageByTaskType = summary.ByTaskType.ToDictionary(p => p.Key, p => p.Value.ToTokenUsage()),
            PeakUsageTime = summary.Peak,
            CostBreakdown = summary.ByModel.Where(p => p.Value.Cost is not null).ToDictionary(p => p.Key, p => p.Value.Cost!.Value),
        };
    }

    private (UsageTotals Total, Dictionary<string, UsageTotals> ByModel, Dictionary<string, UsageTotals> ByTaskType, DateTimeOffset? Peak, Dictionary<string, long> Unpriced) Summarize(TokenUsageQuery query, IOperationContext? context)
    {
        var zone = query.TimeZone ?? TimeZoneInfo.Local;
        var parts = Scan(query, zone, () => new SummaryState(zone), (state, record) =>
        {
            state.Total.Add(record);
            Totals(state.ByModel, record.Model ?? Unnamed).Add(record);
            Totals(state.ByTaskType, record.TaskType ?? "unspecified").Add(record);
            var hour = state.Keys.HourStart(record.Time);
            state.ByHour[hour] = Tokens.Sum(state.ByHour.GetValueOrDefault(hour), record.TotalTokens);
        }, context);

        var total = new UsageTotals();
        var byModel = new Dictionary<string, UsageTotals>(StringComparer.OrdinalIgnoreCase);
        var byTaskType = new Dictionary<string, UsageTotals>(StringComparer.OrdinalIgnoreCase);
        var byHour = new Dictionary<DateTimeOffset, long>();
        foreach (var part in parts)
        {
            total.Merge(part.Total);
            Merge(byModel, part.ByModel);
            Merge(byTaskType, part.ByTaskType);
            foreach (var (hour, tokens) in part.ByHour)
            {
                byHour[hour] = Tokens.Sum(byHour.GetValueOrDefault(hour), tokens);
            }
        }

        var peak = byHour.Count == 0 ? (DateTimeOffset?)null : byHour.OrderByDescending(p => p.Value).ThenBy(p => p.Key).First().Key;
        var unpriced = byModel.Where(m => m.Value.Unpriced > 0).ToDictionary(m => m.Key, m => m.Value.Unpriced, StringComparer.OrdinalIgnoreCase);
        return (total, byModel, byTaskType, peak, unpriced);
    }

    private static void CountUnpriced(Dictionary<string, long> unpriced, LedgerRecord record)
    {
        if (record.CostUsd is null)
        {
            var model = record.Model ?? Unnamed;
            unpriced[model] = unpriced.GetValueOrDefault(model) + 1;
        }
    }

    private static void MergeCounts(Dictionary<string, long> into, Dictionary<string, long> part)
    {
        foreach (var (key, count) in part)
        {
            into[key] = into.GetValueOrDefault(key) + count;
        }
    }

    /// <summary>One line per report naming every model without a price, instead of a warning per task when it was recorded.</summary>
    private static void WarnUnpriced(Dictionary<string, long> unpriced, IOperationContext? context)
    {
        if (context is null || unpriced.Count == 0)
        {
            return;
        }

        var list = string.Join(", ", unpriced.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"'{p.Key}' ({p.Value} {(p.Value == 1 ? "request" : "requests")})")));
        context.WriteWarning(
            $"No price for {list}: their cost is not in CostUsd. Add the models to config/{PricingTable.FileName} " +
            "(Get-AiModelPrice, aiswitch tokens prices shows the table).");
    }

    private static UsageBreakdown Breakdown(Dictionary<string, UsageTotals> groups)
        => new([.. groups.Select(g => Row(g.Key, g.Value)).OrderByDescending(r => r.TotalTokens).ThenBy(r => r.Group, StringComparer.OrdinalIgnoreCase)]);

    private static TokenUsageRow Row(string group, UsageTotals totals) => new()
    {
        Group = group,
        InputTokens = totals.Input,
        OutputTokens = totals.Output,
        CacheReadTokens = totals.CacheRead,
        CacheWriteTokens = totals.CacheWrite,
        TotalTokens = totals.Total,
        CostUsd = totals.Cost,
        Requests = totals.Requests,
        UnpricedRequests = totals.Unpriced,
    };

    /// <summary>seed 003 <c>tokens.summary</c>: the same summary for a protocol request (days and hours in UTC).</summary>
    public TokenSummaryResult Summary(TokenSummaryParams parameters, IOperationContext? context = null)
        => SummaryResult(new TokenUsageQuery
        {
            Agent = parameters.AgentId is null ? null : [parameters.AgentId],
            Since = parameters.StartTime,
            Until = parameters.EndTime,
            Timeframe = parameters.Timeframe switch
            {
                Protocol.Timeframe.Hour => UsageTimeframe.Hour,
                Protocol.Timeframe.Day => UsageTimeframe.Day,
                Protocol.Timeframe.Week => UsageTimeframe.Week,
                Protocol.Timeframe.Month => UsageTimeframe.Month,
                _ => null,
            },
            TimeZone = TimeZoneInfo.Utc,
        }, context);

    /// <summary>The [start, end) of the current hour, day, week (Monday first) or month in <paramref name="zone"/>.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Window(UsageTimeframe timeframe, DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var (start, end) = timeframe switch
        {
            UsageTimeframe.Hour => (local.Date.AddHours(local.Hour), local.Date.AddHours(local.Hour + 1)),
            UsageTimeframe.Day => (local.Date, local.Date.AddDays(1)),
            UsageTimeframe.Week => (local.Date.AddDays(-(((int)local.DayOfWeek + 6) % 7)), local.Date.AddDays(7 - (((int)local.DayOfWeek + 6) % 7))),
            _ => (new DateTime(local.Year, local.Month, 1), new DateTime(local.Year, local.Month, 1).AddMonths(1)),
        };
        if (timeframe == UsageTimeframe.Hour)
        {
            // An hour is an hour: count it in UTC from the local hour's start, so DST changes cannot stretch it.
            var hourStart = ToUtc(start, zone);
            return (hourStart, hourStart.AddHours(1));
        }

        return (ToUtc(start, zone), ToUtc(end, zone));
    }

    private IReadOnlyList<TState> Scan<TState>(TokenUsageQuery query, TimeZoneInfo zone, Func<TState> create, Action<TState, LedgerRecord> visit, IOperationContext? context)
    {
        var (since, until) = (query.Since, query.Until);
        if (query.Timeframe is { } timeframe)
        {
            var (start, end) = Window(timeframe, _clock.GetUtcNow(), zone);
            since = since is null || since < start ? start : since;
            until = until is null || until > end ? end : until;
        }

        if (since is not null && until is not null && since >= until)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                $"The report window is empty: it starts at {since.Value.ToString("u", CultureInfo.InvariantCulture)} and ends at {until.Value.ToString("u", CultureInfo.InvariantCulture)}. Give a Since earlier than Until.");
        }

        var agents = Filter(query.Agent);
        var models = Filter(query.Model);
        return _ledger.ScanParallel(since, until, create, (state, record) =>
        {
            if ((agents is null || agents.Contains(record.Agent)) && (models is null || (record.Model is { } m && models.Contains(m))))
            {
                visit(state, record);
            }
        }, context);
    }

    private static void Merge(Dictionary<string, UsageTotals> into, Dictionary<string, UsageTotals> part)
    {
        foreach (var (key, totals) in part)
        {
            Totals(into, key).Merge(totals);
        }
    }

    private static HashSet<string>? Filter(IReadOnlyList<string>? names)
        => names is { Count: > 0 } ? new HashSet<string>(names, StringComparer.OrdinalIgnoreCase) : null;

    private static UsageTotals Totals(Dictionary<string, UsageTotals> map, string key)
    {
        if (!map.TryGetValue(key, out var totals))
        {
            map[key] = totals = new UsageTotals();
        }

        return totals;
    }

    private static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        // A local midnight that DST skips does not exist: the period starts at the first local time that does.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone), TimeSpan.Zero);
    }

    private sealed class SummaryState(TimeZoneInfo zone)
    {
        public LocalTimeKeys Keys { get; } = new(zone);

        public UsageTotals Total { get; } = new();

        public Dictionary<string, UsageTotals> ByModel { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, UsageTotals> ByTaskType { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<DateTimeOffset, long> ByHour { get; } = [];
    }

    /// <summary>
    /// Local day and hour names of UTC instants. Every zone's offset is a multiple of 15 minutes, so the names are
    /// worked out once per UTC quarter hour, not once per record.
    /// </summary>
    private sealed class LocalTimeKeys(TimeZoneInfo zone)
    {
        private readonly Dictionary<long, (string Day, string Hour, DateTimeOffset HourStart)> _cache = [];

        public string Day(DateTimeOffset time) => Get(time).Day;

        public string Hour(DateTimeOffset time) => Get(time).Hour;

        public DateTimeOffset HourStart(DateTimeOffset time) => Get(time).HourStart;

        private (string Day, string Hour, DateTimeOffset HourStart) Get(DateTimeOffset time)
        {
            var quarter = time.UtcTicks / QuarterHour;
            if (!_cache.TryGetValue(quarter, out var keys))
            {
                var local = TimeZoneInfo.ConvertTime(new DateTimeOffset(quarter * QuarterHour, TimeSpan.Zero), zone);
                var hourStart = new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, 0, 0, local.Offset);
                keys = (local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        hourStart.ToString("yyyy-MM-dd HH:00 zzz", CultureInfo.InvariantCulture),
                        hourStart);
                _cache[quarter] = keys;
            }

            return keys;
        }
    }
}
