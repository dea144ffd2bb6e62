namespace AiSwitch.Core.Agents;

/// <summary>Progress of one task on one agent. Calls may come from any thread; implementations must be cheap.</summary>
internal interface IAgentRunObserver
{
    void OnStarted(int? pid);

    void OnFirstToken();

    void OnText(string delta);

    /// <summary>Any other event the agent reported (tool use, retry…), by kind.</summary>
    void OnEvent(string kind);
}

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
