using System.Management.Automation;
using AiSwitch.Core.Tasks;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// <c>Get-AiTask [-TaskId &lt;wildcard&gt;]</c>: this session's background tasks and every session's tasks from state/tasks.json.
/// An id that matches nothing is a non-terminating TaskNotFound; a wildcard that matches nothing writes nothing.
/// </summary>
[Cmdlet(VerbsCommon.Get, "AiTask", DefaultParameterSetName = ByIdSet)]
[OutputType(typeof(AiTask))]
public sealed class GetAiTaskCommand : AiCmdlet
{
    public const string ByIdSet = "ById";

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(TaskIdCompleter))]
    public string[]? TaskId { get; set; }

    protected override void ProcessRecord()
    {
        var jobs = Session.Tasks;
        foreach (var pattern in (string?[]?)TaskId ?? [null])
        {
            TryInvoke(() => WriteObject(jobs.Get(pattern), enumerateCollection: true), pattern);
        }
    }
}
