using System.Management.Automation;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Tasks;

namespace AiSwitch.PowerShell;

/// <summary>
/// Forwards the engine's task events to the runspace's PowerShell events, so
/// <c>Register-EngineEvent AiSwitch.TaskCompleted { … }</c> runs on every finished task ($Event.MessageData is the TaskResult).
/// </summary>
internal sealed class TaskEventForwarder
{
    public const string CompletedSource = "AiSwitch.TaskCompleted";
    public const string FailedSource = "AiSwitch.TaskFailed";

    private TaskEventForwarder(TaskOperations operations, PSEventManager events)
    {
        operations.TaskFinished += (_, e) => events.GenerateEvent(e.Result.Success ? CompletedSource : FailedSource, null, null, new PSObject(e.Result));
    }

    /// <summary>Once per session: the first task cmdlet of a runspace attaches it.</summary>
    public static void Attach(AiSession session, PSEventManager events) =>
        session.GetService(s => new TaskEventForwarder(TaskOperations.For(s), events));
}
