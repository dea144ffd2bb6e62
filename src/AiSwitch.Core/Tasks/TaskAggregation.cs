using System.Text.RegularExpressions;

namespace AiSwitch.Core.Tasks;

internal static partial class TaskAggregation
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
