using AiSwitch.Protocol;

namespace AiSwitch.Agent;

/// <summary>
/// What an agent's <see cref="AgentBase.ExecuteAsync"/> hands back; the SDK turns it into the task's AgentTaskResult
/// (adding the task id, the execution time and the completion time) and reports <see cref="Usage"/> with tokens.usage.
/// </summary>
public sealed class TaskOutput
{
    private TaskOutput(bool success, string? text, string? error, TokenUsage? usage)
    {
        Success = success;
        Text = text;
        Error = error;
        Usage = usage;
    }

    public bool Success { get; }

    /// <summary>The result text of a successful task.</summary>
    public string? Text { get; }

    /// <summary>Why a failed task failed: a sentence for the user, never a secret.</summary>
    public string? Error { get; }

    public TokenUsage? Usage { get; }

    public static TaskOutput Succeeded(string text, TokenUsage? usage = null) => new(true, text, null, usage);

    /// <summary>
    /// A task that ran and failed (the model refused, a tool broke). The call still succeeds and carries a AgentTaskResult with
    /// <c>success: false</c>; throwing from ExecuteAsync does the same with the exception's message.
    /// </summary>
    public static TaskOutput Failed(string error, TokenUsage? usage = null) => new(false, null, error, usage);
}
