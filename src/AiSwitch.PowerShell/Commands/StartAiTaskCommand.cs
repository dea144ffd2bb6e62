using System.Management.Automation;
using AiSwitch.Core.Tasks;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// <c>Start-AiTask</c>: Invoke-AiTask's parameters, but returns at once with an AiTask handle; follow it with Get-AiTask,
/// Wait-AiTask, Receive-AiTaskResult and Stop-AiTask.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "AiTask", DefaultParameterSetName = StartSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(AiTask))]
public sealed class StartAiTaskCommand : TaskRequestCmdlet
{
    public const string StartSet = "Start";

    protected override void EndProcessing()
    {
        var request = BuildRequest();
        if (!ShouldProcess(string.Join(", ", request.Agents), $"Start {request.Tasks.Count} task(s) in the background"))
        {
            return;
        }

        if (!SwitchAgentsIfAsked(request))
        {
            return;
        }

        EngineEvents.AttachTasks(Session, Events);
        var jobs = Session.Tasks;
        WriteObject(Invoke(() => jobs.Start(request).Snapshot()));
    }
}
