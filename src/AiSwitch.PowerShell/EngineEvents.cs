using System.Management.Automation;
using System.Runtime.CompilerServices;

namespace AiSwitch.PowerShell;

/// <summary>
/// Forwards a session's finished tasks and alerts to its runspace's PowerShell events, so
/// <c>Register-EngineEvent AiSwitch.TaskCompleted { … }</c> runs on every finished task ($Event.MessageData is the
/// TaskResult) and <c>AiSwitch.Alert</c> on every alert raised or recovered ($Event.MessageData is the AlertNotice).
/// </summary>
internal static class EngineEvents
{
    public const string CompletedSource = "AiSwitch.TaskCompleted";
    public const string FailedSource = "AiSwitch.TaskFailed";
    public const string AlertSource = "AiSwitch.Alert";

    private static readonly ConditionalWeakTable<AiSession, object> TasksAttached = new();
    private static readonly ConditionalWeakTable<AiSession, object> AlertsAttached = new();

    /// <summary>Once per session: the first task cmdlet of a runspace attaches the task and alert events.</summary>
    public static void AttachTasks(AiSession session, PSEventManager events)
    {
        AttachAlerts(session, events);
        if (First(TasksAttached, session, events))
        {
            session.Tasks.TaskFinished += (_, e) => events.GenerateEvent(e.Result.Success ? CompletedSource : FailedSource, null, null, new PSObject(e.Result));
        }
    }

    /// <summary>Once per session: the first task or quota cmdlet of a runspace attaches the alert events.</summary>
    public static void AttachAlerts(AiSession session, PSEventManager events)
    {
        if (First(AlertsAttached, session, events))
        {
            session.Quotas.Alerted += (_, notice) => events.GenerateEvent(AlertSource, null, null, new PSObject(notice));
        }
    }

    private static bool First(ConditionalWeakTable<AiSession, object> attached, AiSession session, PSEventManager events)
    {
        lock (attached)
        {
            return attached.TryAdd(session, events);
        }
    }
}
