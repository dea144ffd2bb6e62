using System.Management.Automation;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// <c>Invoke-AiTask … | Merge-AiTaskResult -Strategy Majority</c>: turns the piped results into one AggregatedResult
/// (winner, agreement, total tokens and cost). Results that went through Export-Clixml, Export-Csv, a job or a remote
/// session come back in by their properties.
/// </summary>
[Cmdlet(VerbsData.Merge, "AiTaskResult", DefaultParameterSetName = PipelineSet)]
[OutputType(typeof(AggregatedResult))]
public sealed class MergeAiTaskResultCommand : AiCmdlet
{
    public const string PipelineSet = "Pipeline";
    private readonly List<TaskResult> _results = [];

    /// <summary>TaskResult objects, or objects with their properties (deserialized, or rows of Import-Csv).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PipelineSet)]
    public PSObject[] InputObject { get; set; } = [];

    [Parameter(Position = 0, ParameterSetName = PipelineSet)]
    public AggregationStrategy Strategy { get; set; } = AggregationStrategy.All;

    protected override void ProcessRecord()
    {
        foreach (var item in InputObject)
        {
            _results.Add(item.BaseObject as TaskResult ?? Invoke(() => TaskDoor.ResultFrom(Properties(item))));
        }
    }

    protected override void EndProcessing() => WriteObject(Invoke(() => TaskDoor.Merge(_results, Strategy)));

    // A deserialized value (an enum, a DateTimeOffset) is its own text; a primitive is passed as it is.
    private static Dictionary<string, object?> Properties(PSObject item) =>
        item.Properties.Where(p => p.IsGettable).ToDictionary<PSPropertyInfo, string, object?>(
            p => p.Name,
            p => p.Value is PSObject wrapped ? (wrapped.BaseObject is string or ValueType && wrapped.TypeNames.All(t => !t.StartsWith("Deserialized.", StringComparison.Ordinal)) ? wrapped.BaseObject : wrapped.ToString()) : p.Value,
            StringComparer.OrdinalIgnoreCase);
}
