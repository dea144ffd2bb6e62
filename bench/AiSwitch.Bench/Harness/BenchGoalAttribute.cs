namespace AiSwitch.Bench.Harness;

/// <summary>
/// The goal of a BenchmarkDotNet benchmark, in milliseconds per operation, for the bench/run table:
/// <c>[BenchGoal(GoalStatistic.P99, GoalComparison.AtMost, 5, Issue = 2)]</c> on the method or its class.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false)]
public sealed class BenchGoalAttribute(GoalStatistic statistic, GoalComparison comparison, double milliseconds) : Attribute
{
    public Goal Goal { get; } = new(statistic, comparison, milliseconds);

    public int Issue { get; init; }
}
