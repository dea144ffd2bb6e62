namespace AiSwitch.Core.Agents;

/// <summary>Progress of one task on one agent. Calls may come from any thread; implementations must be cheap.</summary>
internal interface IAgentRunObserver
{
    /// <summary>The registry built the task's environment: which preset it holds, where the agent works, where its log goes.</summary>
    void OnPrepared(AgentRunPlace place)
    {
    }

    /// <summary>The process that runs the task (a per-task process, or a long-lived agent's).</summary>
    void OnProcess(AgentProcess process)
    {
    }

    void OnStarted(int? pid);

    void OnFirstToken();

    void OnText(string delta);

    /// <summary>Any other event the agent reported (tool use, retry…), by kind.</summary>
    void OnEvent(string kind);

    /// <summary>How far the agent says the task is, 0–100 (a JSON-RPC agent's task.status progress), each time it changes.</summary>
    void OnProgress(double percent)
    {
    }
}

/// <summary>Where and how a task runs, as may be shown: no variable values.</summary>
internal sealed record AgentRunPlace(string? Preset, string WorkingDirectory, string LogFile);

/// <summary>An observer that ignores everything.</summary>
internal sealed class NullAgentRunObserver : IAgentRunObserver
{
    public static NullAgentRunObserver Instance { get; } = new();

    private NullAgentRunObserver()
    {
    }

    public void OnStarted(int? pid)
    {
    }

    public void OnFirstToken()
    {
    }

    public void OnText(string delta)
    {
    }

    public void OnEvent(string kind)
    {
    }
}
