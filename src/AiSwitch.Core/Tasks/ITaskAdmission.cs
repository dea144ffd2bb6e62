using AiSwitch.Core.Agents;

namespace AiSwitch.Core.Tasks;

/// <summary>
/// Asked before each attempt starts (quotas plug in here). Throwing an AiSwitchException refuses the attempt:
/// the task fails with that error on this agent and moves to its fallback agents.
/// </summary>
internal interface ITaskAdmission
{
    ValueTask AdmitAsync(AgentDefinition agent, string taskId, CancellationToken cancellationToken);
}

/// <summary>Raised for every finished task (any status); the PowerShell glue turns it into engine events.</summary>
public sealed class TaskFinishedEventArgs(TaskResult result) : EventArgs
{
    public TaskResult Result { get; } = result;
}
