using System.Globalization;
using AiSwitch.Core.Agents;

namespace AiSwitch.Core.Tasks;

/// <summary>Builds the TaskResult of one attempt: from the agent's run, or for a task that did not finish.</summary>
internal static partial class TaskResults
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
        ErrorId = run.Success ? null : (run.ErrorId ?? AiSwitch.ErrorId.AgentReportedFailure).ToString(),
        AgentErrorCode = run.Success ? null : run.AgentErrorCode,
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

/// <summary>A result's failure as an error, and a result from a property bag (deserialized, or read from CSV).</summary>
internal static partial class TaskResults
{
    public static AiSwitchException? Failure(TaskResult result)
    {
        if (result.Success)
        {
            return null;
        }

        var id = Enum.TryParse<ErrorId>(result.ErrorId, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : result.Status switch
            {
                TaskState.Timeout => ErrorId.TaskTimeout,
                TaskState.Cancelled => ErrorId.TaskCancelled,
                _ => ErrorId.AgentReportedFailure,
            };
        return new AiSwitchException(id, result.Error ?? $"Task '{result.TaskId}' on agent '{result.Agent}' ended {result.Status}.", result.TaskId);
    }

    /// <summary>
    /// Reads the properties a TaskResult has (names as in the type, any letter case); values may be the typed ones
    /// (Import-Clixml, a remote session) or text (Import-Csv). TaskId, Agent and Status are required.
    /// </summary>
    public static TaskResult FromProperties(IReadOnlyDictionary<string, object?> properties)
    {
        var bag = new Dictionary<string, object?>(properties, StringComparer.OrdinalIgnoreCase);
        string? Text(string name) => bag.TryGetValue(name, out var value) && value is not null && Convert.ToString(value, CultureInfo.InvariantCulture) is { Length: > 0 } text ? text : null;
        string Required(string name) => Text(name) ?? throw new AiSwitchException(ErrorId.InvalidArgument,
            $"The object has no {name}, so it is not a task result. Pipe the TaskResult objects of Invoke-AiTask or Receive-AiTaskResult (or what Export-Csv or Export-Clixml kept of them); " +
            $"it has: {string.Join(", ", bag.Keys.DefaultIfEmpty("(no properties)"))}.");
        T? Parsed<T>(string name, Func<string, T> parse) where T : struct
        {
            if (Text(name) is not { } text)
            {
                return null;
            }

            try
            {
                return parse(text);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                throw new AiSwitchException(ErrorId.InvalidArgument, $"The task result's {name} '{text}' is not valid: {ex.Message}", Text(nameof(TaskResult.TaskId)), ex);
            }
        }

        long Long(string name) => Parsed(name, t => long.Parse(t, NumberStyles.Integer, CultureInfo.InvariantCulture)) ?? 0;
        DateTimeOffset? Time(string name) => Parsed(name, t => DateTimeOffset.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
        return new TaskResult
        {
            TaskId = Required(nameof(TaskResult.TaskId)),
            Agent = Required(nameof(TaskResult.Agent)),
            Status = Parsed(nameof(TaskResult.Status), t => Enum.Parse<TaskState>(t, ignoreCase: true)) ?? throw new AiSwitchException(ErrorId.InvalidArgument,
                $"The task result '{Text(nameof(TaskResult.TaskId))}' has no Status. Give it one of: {string.Join(", ", Enum.GetNames<TaskState>())}."),
            Preset = Text(nameof(TaskResult.Preset)),
            Model = Text(nameof(TaskResult.Model)),
            Output = Text(nameof(TaskResult.Output)) ?? string.Empty,
            Error = Text(nameof(TaskResult.Error)),
            ErrorId = Text(nameof(TaskResult.ErrorId)),
            InputTokens = Long(nameof(TaskResult.InputTokens)),
            OutputTokens = Long(nameof(TaskResult.OutputTokens)),
            CacheReadTokens = Long(nameof(TaskResult.CacheReadTokens)),
            CacheWriteTokens = Long(nameof(TaskResult.CacheWriteTokens)),
            ReasoningTokens = Long(nameof(TaskResult.ReasoningTokens)),
            CostUsd = Parsed(nameof(TaskResult.CostUsd), t => decimal.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture)),
            CostSource = Parsed(nameof(TaskResult.CostSource), t => Enum.Parse<CostSource>(t, ignoreCase: true)) ?? CostSource.None,
            DurationMs = Long(nameof(TaskResult.DurationMs)),
            TimeToFirstTokenMs = Parsed(nameof(TaskResult.TimeToFirstTokenMs), t => long.Parse(t, NumberStyles.Integer, CultureInfo.InvariantCulture)),
            StartedAt = Time(nameof(TaskResult.StartedAt)),
            CompletedAt = Time(nameof(TaskResult.CompletedAt)),
            Attempt = (int)Long(nameof(TaskResult.Attempt)),
            Priority = Parsed(nameof(TaskResult.Priority), t => int.Parse(t, NumberStyles.Integer, CultureInfo.InvariantCulture)) ?? InvokeTaskRequest.DefaultPriority,
            ExitCode = Parsed(nameof(TaskResult.ExitCode), t => int.Parse(t, NumberStyles.Integer, CultureInfo.InvariantCulture)),
            AgentSessionId = Text(nameof(TaskResult.AgentSessionId)),
            ChangedFiles = Text(nameof(TaskResult.ChangedFiles)),
            Diff = Text(nameof(TaskResult.Diff)),
            WorkingDirectory = Text(nameof(TaskResult.WorkingDirectory)),
            Prompt = Text(nameof(TaskResult.Prompt)),
            BatchId = Text(nameof(TaskResult.BatchId)),
            AgentErrorCode = Text(nameof(TaskResult.AgentErrorCode)),
        };
    }
}

/// <summary>When and where one attempt ran (and, in Isolated mode, what it changed there), for building its result.</summary>
internal sealed record TaskAttemptInfo(int Attempt, DateTimeOffset StartedAt, DateTimeOffset CompletedAt, string? Preset, string? Model, string? WorkingDirectory,
    string? ChangedFiles = null, string? Diff = null);
