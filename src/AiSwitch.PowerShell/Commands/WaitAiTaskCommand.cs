using System.Management.Automation;
using AiSwitch.Core.Tasks;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary><c>Wait-AiTask -TaskId [-Timeout]</c>: waits for background tasks to finish and writes the finished ones (Ctrl+C stops waiting, not the tasks).</summary>
[Cmdlet(VerbsLifecycle.Wait, "AiTask", DefaultParameterSetName = ByIdSet)]
[OutputType(typeof(AiTask))]
public sealed class WaitAiTaskCommand : AiCmdlet
{
    public const string ByIdSet = "ById";
    private readonly List<string> _ids = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
    [ArgumentCompleter(typeof(TaskIdCompleter))]
    public string[] TaskId { get; set; } = [];

    /// <summary>Seconds to wait; without it, waits until every task has finished.</summary>
    [Parameter(ParameterSetName = ByIdSet)]
    [ValidateRange(0.0, 604_800.0)]
    public double? Timeout { get; set; }

    // An unknown id is reported at once and the others are still waited for.
    protected override void ProcessRecord()
    {
        var jobs = Session.Tasks;
        foreach (var id in TaskId)
        {
            TryInvoke(() => _ids.AddRange(jobs.Get(id).Select(t => t.TaskId)), id);
        }
    }

    protected override void EndProcessing()
    {
        if (_ids.Count == 0)
        {
            return;
        }

        var jobs = Session.Tasks;
        var timeout = Timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var ended = Run((_, cancellationToken) => jobs.WaitAsync(_ids, timeout, cancellationToken));
        WriteObject(ended, enumerateCollection: true);
        foreach (var task in ended.Where(t => t.Reason is not null))
        {
            WriteAiError(new AiSwitchException(ErrorId.TaskOwnerDied, $"Task '{task.TaskId}' failed: {task.Reason}", task.TaskId), task);
        }
    }
}
