namespace AiSwitch;

/// <summary>Where a quota stands today.</summary>
// long-based so that ConvertTo-Json writes the name, not a number (see TaskState).
public enum QuotaState : long
{
    Ok,
    /// <summary>At or past the warn threshold (a share of a limit), not yet at the limit.</summary>
    Warn,
    /// <summary>A limit is spent: no new work starts for that agent until the next UTC day or a higher limit.</summary>
    Exceeded,
}

/// <summary>
/// A daily quota and how much of it is used today (UTC day, read from the ledger so every session sees the same figures).
/// <see cref="Agent"/> is an agent's name, or <c>*</c> for the quota over all agents together.
/// </summary>
public sealed class TokenQuota
{
    public const string AllAgents = "*";

    public const double DefaultWarnAt = 0.8;

    public required string Agent { get; init; }

    public QuotaState State { get; init; }

    public long? DailyTokens { get; init; }

    public decimal? DailyCostUsd { get; init; }

    /// <summary>The share of a limit (0–1) at which the quota warns.</summary>
    public double WarnAt { get; init; } = DefaultWarnAt;

    public long UsedTokens { get; init; }

    public decimal UsedCostUsd { get; init; }

    /// <summary>Null when there is no token limit.</summary>
    public long? RemainingTokens { get; init; }

    /// <summary>Null when there is no cost limit.</summary>
    public decimal? RemainingCostUsd { get; init; }

    /// <summary>The UTC day the figures are for (yyyy-MM-dd).</summary>
    public required string Day { get; init; }
}
