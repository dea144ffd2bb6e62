namespace AiSwitch.Core.Usage;

/// <summary>Set-AiTokenQuota's request: null limits are left as they are (a new quota needs at least one).</summary>
public sealed class SetQuotaRequest
{
    public required string Agent { get; init; }

    public long? DailyTokens { get; init; }

    public decimal? DailyCostUsd { get; init; }

    public double? WarnAt { get; init; }
}

/// <summary>What to report: filters, a window (Since/Until, or a Timeframe) and a grouping.</summary>
public sealed class TokenUsageQuery
{
    /// <summary>Only these agents (case-insensitive); null or empty for all.</summary>
    public IReadOnlyList<string>? Agent { get; init; }

    /// <summary>Only these models (case-insensitive, as recorded); null or empty for all.</summary>
    public IReadOnlyList<string>? Model { get; init; }

    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    /// <summary>The current hour, day, week or month in <see cref="TimeZone"/>; Since and Until narrow it further.</summary>
    public UsageTimeframe? Timeframe { get; init; }

    public UsageGroupBy GroupBy { get; init; } = UsageGroupBy.Agent;

    /// <summary>The zone that days and hours are counted in; the local zone when null.</summary>
    public TimeZoneInfo? TimeZone { get; init; }
}
