using System.Management.Automation;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Usage;

namespace AiSwitch.PowerShell;

/// <summary>
/// Forwards the session's alerts (quota thresholds, error rate, agent down, and their recoveries) to the runspace's
/// PowerShell events, so <c>Register-EngineEvent AiSwitch.Alert { … }</c> runs on each ($Event.MessageData is the AlertNotice).
/// </summary>
internal sealed class AlertEventForwarder
{
    public const string AlertSource = "AiSwitch.Alert";

    private AlertEventForwarder(AlertEngine alerts, PSEventManager events)
    {
        alerts.Alerted += (_, notice) => events.GenerateEvent(AlertSource, null, null, new PSObject(notice));
    }

    /// <summary>Once per session: the first task or quota cmdlet of a runspace attaches it.</summary>
    public static void Attach(AiSession session, PSEventManager events) =>
        session.GetService(s => new AlertEventForwarder(AlertEngine.For(s), events));
}
