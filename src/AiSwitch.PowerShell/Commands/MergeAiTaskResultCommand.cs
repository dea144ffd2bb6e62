using System.Management.Automation;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// <c>Invoke-AiTask … | Merge-AiTaskResult -Strategy Majority</c>: turns the piped results into one AggregatedResult
/// (winner, agreement, total tokens and cost).
/// </summary>
[Cmdlet(VerbsData.Merge, "AiTaskResult", DefaultParameterSetName = PipelineSet)]
[OutputType(typeof(AggregatedResult))]
public sealed class MergeAiTaskResultCommand : AiCmdlet
{
    public const string PipelineSet = "Pipeline";
    private readonly List<TaskResult> _results = [];

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PipelineSet)]
    public TaskResult[] InputObject { get; set; } = [];

    [Parameter(Position = 0, ParameterSetName = PipelineSet)]
    public AggregationStrategy Strategy { get; set; } = AggregationStrategy.All;

    protected override void ProcessRecord() => _results.AddRange(InputObject);

    protected override void EndProcessing() => WriteObject(Invoke(() => TaskDoor.Merge(_results, Strategy)));
}
