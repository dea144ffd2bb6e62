namespace AiSwitch;

/// <summary>Several results of one question turned into one answer (Merge-AiTaskResult, <c>aiswitch run --aggregate</c>).</summary>
public sealed class AggregatedResult
{
    public required AggregationStrategy Strategy { get; init; }

    /// <summary>The agent whose answer won; null when no result succeeded (or for All).</summary>
    public string? Winner { get; init; }

    public string? WinnerTaskId { get; init; }

    public string Output { get; init; } = string.Empty;

    /// <summary>0–1: the share of the results whose answer agrees with the winner's (normalised text compare).</summary>
    public double Agreement { get; init; }

    public long TotalInputTokens { get; init; }

    public long TotalOutputTokens { get; init; }

    public decimal TotalCostUsd { get; init; }

    public int Results { get; init; }

    public int Succeeded { get; init; }

    public int Failed { get; init; }

    public override string ToString() => $"{Strategy}: {Winner ?? "(none)"}";
}
