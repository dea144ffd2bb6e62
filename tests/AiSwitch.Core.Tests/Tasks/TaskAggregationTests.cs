using AiSwitch.Core.Tasks;

namespace AiSwitch.Core.Tests.Tasks;

public sealed class TaskAggregationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly TaskResult[] Results =
    [
        Result("a", "Paris.", 900, 0.03m, 1),
        Result("b", "paris", 300, 0.01m, 2),
        Result("c", "It is Paris, the capital of France", 500, 0.02m, 3),
        Result("d", string.Empty, 100, null, 0, TaskState.Failed),
    ];

    [Theory]
    [InlineData(AggregationStrategy.FirstSuccess, "a")]
    [InlineData(AggregationStrategy.Fastest, "b")]
    [InlineData(AggregationStrategy.Cheapest, "b")]
    [InlineData(AggregationStrategy.Longest, "c")]
    [InlineData(AggregationStrategy.Majority, "a")]
    public void Each_strategy_picks_its_winner_among_the_successes(AggregationStrategy strategy, string winner)
    {
        var merged = TaskAggregation.Merge(Results, strategy);

        Assert.Equal(winner, merged.Winner);
        Assert.Equal($"t.{winner}", merged.WinnerTaskId);
        Assert.Equal((4, 3, 1), (merged.Results, merged.Succeeded, merged.Failed));
        Assert.Equal((60L, 30L, 0.06m), (merged.TotalInputTokens, merged.TotalOutputTokens, merged.TotalCostUsd));
    }

    [Fact]
    public void Majority_compares_normalised_text_and_reports_agreement()
    {
        var merged = TaskAggregation.Merge(Results, AggregationStrategy.Majority);

        Assert.Equal("Paris.", merged.Output);
        Assert.Equal(0.5, merged.Agreement); // a and b agree: 2 of 4 results
    }

    [Fact]
    public void All_joins_every_successful_answer_and_nothing_to_merge_is_an_error()
    {
        var merged = TaskAggregation.Merge(Results, AggregationStrategy.All);

        Assert.Null(merged.Winner);
        Assert.Contains("[b] paris", merged.Output);
        Assert.DoesNotContain("[d]", merged.Output);
        Assert.Equal(ErrorId.InvalidArgument, Assert.Throws<AiSwitchException>(() => TaskAggregation.Merge([], AggregationStrategy.All)).Id);
        Assert.Null(TaskAggregation.Merge([Results[3]], AggregationStrategy.Fastest).Winner);
    }

    private static TaskResult Result(string agent, string output, long ms, decimal? cost, int minute, TaskState status = TaskState.Completed) => new()
    {
        TaskId = $"t.{agent}", Agent = agent, Status = status, Output = output, DurationMs = ms, CostUsd = cost,
        InputTokens = 15, OutputTokens = agent == "a" ? 9 : 7, CompletedAt = T0.AddMinutes(minute),
    };
}
