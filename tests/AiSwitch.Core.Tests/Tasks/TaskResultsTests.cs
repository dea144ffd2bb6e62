using AiSwitch.Core.Tasks;

namespace AiSwitch.Core.Tests.Tasks;

/// <summary>A result's failure as an error for the fronts, a result back from its properties, and one task's own values.</summary>
public sealed class TaskResultsTests
{
    [Fact]
    public void A_failed_result_is_an_error_with_its_own_id_message_and_task_and_a_completed_one_is_none()
    {
        var failed = new TaskResult { TaskId = "t-1.claude", Agent = "claude", Status = TaskState.Failed, Error = "Not logged in", ErrorId = "AgentAuthenticationFailed" };
        var timedOut = new TaskResult { TaskId = "t-2", Agent = "codex", Status = TaskState.Timeout };

        var error = TaskDoor.Failure(failed)!;

        Assert.Equal((ErrorId.AgentAuthenticationFailed, "Not logged in", "t-1.claude"), (error.Id, error.Message, error.Target));
        Assert.Equal(ErrorId.TaskTimeout, TaskDoor.Failure(timedOut)!.Id);
        Assert.Contains("t-2", TaskDoor.Failure(timedOut)!.Message, StringComparison.Ordinal);
        Assert.Null(TaskDoor.Failure(new TaskResult { TaskId = "t-3", Agent = "a", Status = TaskState.Completed }));
    }

    [Fact]
    public void A_result_comes_back_from_the_text_of_a_csv_row()
    {
        var row = new Dictionary<string, object?>
        {
            ["TaskId"] = "t-1.codex", ["Agent"] = "codex", ["Status"] = "Completed", ["Success"] = "True", ["Output"] = "paris",
            ["InputTokens"] = "10", ["OutputTokens"] = "", ["CostUsd"] = "0.0001806", ["CostSource"] = "Agent", ["DurationMs"] = "300",
            ["StartedAt"] = "2026-12-07T18:00:00+00:00", ["Priority"] = "", ["BatchId"] = "t-1",
        };

        var result = TaskDoor.ResultFrom(row);

        Assert.Equal(("t-1.codex", "codex", TaskState.Completed, "paris"), (result.TaskId, result.Agent, result.Status, result.Output));
        Assert.Equal((10L, 0L, 0.0001806m, CostSource.Agent, 300L), (result.InputTokens, result.OutputTokens, result.CostUsd, result.CostSource, result.DurationMs));
        Assert.Equal((new DateTimeOffset(2026, 12, 7, 18, 0, 0, TimeSpan.Zero), InvokeTaskRequest.DefaultPriority, "t-1"), (result.StartedAt, result.Priority, result.BatchId));
    }

    [Fact]
    public void A_result_comes_back_from_typed_values_and_an_object_without_its_identity_is_refused_by_name()
    {
        var typed = TaskDoor.ResultFrom(new Dictionary<string, object?> { ["taskid"] = "t", ["agent"] = "a", ["status"] = 3L, ["inputtokens"] = 7L });
        var error = Assert.Throws<AiSwitchException>(() => TaskDoor.ResultFrom(new Dictionary<string, object?> { ["Name"] = "x" }));

        Assert.Equal((TaskState.Completed, 7L), (typed.Status, typed.InputTokens));
        Assert.Equal(ErrorId.InvalidArgument, error.Id);
        Assert.Contains("no TaskId", error.Message, StringComparison.Ordinal);
        Assert.Contains("Name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(11, null, null, "Priority 11")]
    [InlineData(null, 0, null, "MaxTokens 0")]
    [InlineData(null, null, 2.5, "Temperature 2.5")]
    public void One_task_s_value_out_of_range_is_refused_naming_it(int? priority, int? maxTokens, double? temperature, string named)
    {
        var error = Assert.Throws<AiSwitchException>(() => TaskRequests.Check(new TaskSpec { Prompt = "p", TaskId = "row", Priority = priority, MaxTokens = maxTokens, Temperature = temperature }));

        Assert.Equal(ErrorId.InvalidArgument, error.Id);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Equal("row", error.Target);
    }

    [Fact]
    public void A_task_without_optional_values_is_fine()
        => Assert.Equal("p", TaskRequests.Check(new TaskSpec { Prompt = "p" }).Prompt);
}
