using AiSwitch.Core.Agents;

namespace AiSwitch.Core.Tasks;

/// <summary>Builds the TaskResult of one attempt: from the agent's run, or for a task that did not finish.</summary>
internal static class TaskResults
{
    public static TaskResult FromRun(TaskUnit unit, string agent, AgentRunResult run, TaskAttemptInfo info) => new()
    {
        TaskId = unit.TaskId,
        BatchId = unit.BatchId,
        Agent = agent,
        Preset = info.Preset,
        Model = run.Model ?? info.Model,
        Status = run.Success ? TaskState.Completed : TaskState.Failed,
        Output = run.Text,
        Error = run.Success ? null : run.Error ?? "The agent reported a failure without a message.",
        ErrorId = run.Success ? null : (run.ErrorId ?? AiSwitch.ErrorId.AgentNotResponding).ToString(),
        InputTokens = run.InputTokens,
        OutputTokens = run.OutputTokens,
        CacheReadTokens = run.CacheReadTokens,
        CacheWriteTokens = run.CacheWriteTokens,
        ReasoningTokens = run.ReasoningTokens,
        CostUsd = run.CostUsd,
        CostSource = run.CostSource,
        DurationMs = (long)(info.CompletedAt - info.StartedAt).TotalMilliseconds,
        TimeToFirstTokenMs = run.TimeToFirstToken is { } ttft ? (long)ttft.TotalMilliseconds : null,
        StartedAt = info.StartedAt,
        CompletedAt = info.CompletedAt,
        Attempt = info.Attempt,
        Priority = unit.Priority,
        ExitCode = run.ExitCode,
        AgentSessionId = run.AgentSessionId,
        ChangedFiles = info.ChangedFiles,
        Diff = info.Diff,
        WorkingDirectory = info.WorkingDirectory,
        Prompt = unit.Prompt,
    };

    public static TaskResult Unfinished(TaskUnit unit, string agent, TaskState status, AiSwitchException error, TaskAttemptInfo? info = null) => new()
    {
        TaskId = unit.TaskId,
        BatchId = unit.BatchId,
        Agent = agent,
        Preset = info?.Preset,
        Model = info?.Model,
        Status = status,
        Error = error.Message,
        ErrorId = error.Id.ToString(),
        DurationMs = info is null ? 0 : (long)(info.CompletedAt - info.StartedAt).TotalMilliseconds,
        StartedAt = info?.StartedAt,
        CompletedAt = info?.CompletedAt,
        Attempt = info?.Attempt ?? 0,
        Priority = unit.Priority,
        ChangedFiles = info?.ChangedFiles,
        Diff = info?.Diff,
        WorkingDirectory = info?.WorkingDirectory,
        Prompt = unit.Prompt,
    };
}

/// <summary>When and where one attempt ran (and, in Isolated mode, what it changed there), for building its result.</summary>
internal sealed record TaskAttemptInfo(int Attempt, DateTimeOffset StartedAt, DateTimeOffset CompletedAt, string? Preset, string? Model, string? WorkingDirectory,
    string? ChangedFiles = null, string? Diff = null);
