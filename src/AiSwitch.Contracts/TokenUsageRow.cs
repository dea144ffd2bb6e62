namespace AiSwitch;

/// <summary>How Get-AiTokenUsage -GroupBy groups the ledger.</summary>
// long-based so that ConvertTo-Json writes the name, not a number (see TaskState).
public enum UsageGroupBy : long
{
    Agent,
    Model,
    Preset,
    Day,
    Hour,
}

/// <summary>The calendar period a report covers, in the caller's time zone: this hour, today, this week (from Monday), this month.</summary>
// long-based so that ConvertTo-Json writes the name, not a number (see TaskState).
public enum UsageTimeframe : long
{
    Hour,
    Day,
    Week,
    Month,
}

/// <summary>One row of a usage report: flat, for Export-Csv.</summary>
public sealed class TokenUsageRow
{
    /// <summary>The agent, model or preset name, or the local day (yyyy-MM-dd) or hour (yyyy-MM-dd HH:00 ±hh:mm).</summary>
    public required string Group { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long CacheReadTokens { get; init; }

    public long CacheWriteTokens { get; init; }

    public long TotalTokens { get; init; }

    /// <summary>The sum of the known costs in US dollars; null when none of the requests had a cost.</summary>
    public decimal? CostUsd { get; init; }

    public long Requests { get; init; }

    /// <summary>Requests with no cost (a model missing from the pricing table): <see cref="CostUsd"/> leaves them out.</summary>
    public long UnpricedRequests { get; init; }
}
