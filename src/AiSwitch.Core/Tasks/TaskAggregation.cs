using System.Text.RegularExpressions;
using AiSwitch.Core.Errors;

namespace AiSwitch.Core.Tasks;

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

public static partial class TaskAggregation
{
    public static AggregatedResult Merge(IReadOnlyList<TaskResult> results, AggregationStrategy strategy)
    {
        if (results.Count == 0)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument, "No task results to merge. Pipe the output of Invoke-AiTask or Receive-AiTaskResult into Merge-AiTaskResult.");
        }

        var succeeded = results.Where(r => r.Success).ToList();
        TaskResult? winner = strategy switch
        {
            AggregationStrategy.FirstSuccess => succeeded.OrderBy(r => r.CompletedAt ?? DateTimeOffset.MaxValue).FirstOrDefault(),
            AggregationStrategy.Fastest => succeeded.OrderBy(r => r.DurationMs).FirstOrDefault(),
            AggregationStrategy.Cheapest => succeeded.OrderBy(r => r.CostUsd ?? decimal.MaxValue).ThenBy(r => r.InputTokens + r.OutputTokens).FirstOrDefault(),
            AggregationStrategy.Longest => succeeded.OrderByDescending(r => r.Output.Length).FirstOrDefault(),
            AggregationStrategy.Majority => succeeded.GroupBy(r => Normalise(r.Output)).OrderByDescending(g => g.Count()).ThenBy(g => g.Min(r => r.CompletedAt ?? DateTimeOffset.MaxValue)).FirstOrDefault()?.First(),
            _ => null,
        };
        var output = strategy == AggregationStrategy.All
            ? string.Join(Environment.NewLine + Environment.NewLine, succeeded.Select(r => $"[{r.Agent}] {r.Output}"))
            : winner?.Output ?? string.Empty;
        var agreement = winner is null ? 0 : (double)succeeded.Count(r => Normalise(r.Output) == Normalise(winner.Output)) / results.Count;
        return new AggregatedResult
        {
            Strategy = strategy,
            Winner = winner?.Agent,
            WinnerTaskId = winner?.TaskId,
            Output = output,
            Agreement = Math.Round(agreement, 4),
            TotalInputTokens = results.Sum(r => r.InputTokens),
            TotalOutputTokens = results.Sum(r => r.OutputTokens),
            TotalCostUsd = results.Sum(r => r.CostUsd ?? 0m),
            Results = results.Count,
            Succeeded = succeeded.Count,
            Failed = results.Count - succeeded.Count,
        };
    }

    /// <summary>Case, surrounding whitespace, runs of whitespace and trailing punctuation do not make answers differ.</summary>
    internal static string Normalise(string text) => Spaces().Replace(text.Trim().ToLowerInvariant(), " ").TrimEnd('.', '!', '?', ' ');

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
