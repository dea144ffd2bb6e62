using System.Management.Automation;
using AiSwitch.Core.Tasks;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// <c>Receive-AiTaskResult -TaskId [-Keep]</c>: the results a background task has produced and not yet handed out, with a
/// non-terminating error for each that did not complete.
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "AiTaskResult", DefaultParameterSetName = ByIdSet)]
[OutputType(typeof(TaskResult))]
public sealed class ReceiveAiTaskResultCommand : AiCmdlet
{
    public const string ByIdSet = "ById";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
    [ArgumentCompleter(typeof(TaskIdCompleter))]
    public string[] TaskId { get; set; } = [];

    /// <summary>Leave the results to be received again (and give every result so far, not only the new ones).</summary>
    [Parameter(ParameterSetName = ByIdSet)]
    public SwitchParameter Keep { get; set; }

    protected override void ProcessRecord()
    {
        var jobs = Session.Tasks;
        foreach (var id in TaskId)
        {
            TryInvoke(() =>
            {
                foreach (var result in jobs.Receive(id, Keep))
                {
                    WriteTaskResult(result);
                }
            }, id);
        }
    }
}
