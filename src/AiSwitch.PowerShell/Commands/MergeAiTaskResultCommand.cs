using System.Management.Automation;
using AiSwitch.Core.Tasks;

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
    [ValidateSet("All", "FirstSuccess", "Majority", "Fastest", "Cheapest", "Longest")]
    public string Strategy { get; set; } = "All";

    protected override void ProcessRecord() => _results.AddRange(InputObject);

    protected override void EndProcessing() => WriteObject(Invoke(() => TaskAggregation.Merge(_results, Enum.Parse<AggregationStrategy>(Strategy, ignoreCase: true))));
}
