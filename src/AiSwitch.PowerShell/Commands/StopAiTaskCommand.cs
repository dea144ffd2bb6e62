using System.Management.Automation;
using AiSwitch.Core.Tasks;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary><c>Stop-AiTask -TaskId</c>: cancels a background task; its agents stop within a second, unfinished tasks become Cancelled.</summary>
[Cmdlet(VerbsLifecycle.Stop, "AiTask", DefaultParameterSetName = ByIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AiTask))]
public sealed class StopAiTaskCommand : AiCmdlet
{
    public const string ByIdSet = "ById";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
    [ArgumentCompleter(typeof(TaskIdCompleter))]
    public string[] TaskId { get; set; } = [];

    protected override void ProcessRecord()
    {
        var jobs = Session.Tasks;
        foreach (var id in TaskId)
        {
            if (ShouldProcess(id, "Stop task"))
            {
                if (TryRun((_, token) => jobs.StopAsync(id, token), id) is { } task)
                {
                    WriteObject(task);
                }
            }
        }
    }
}
