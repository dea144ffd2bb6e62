using System.Management.Automation;
using AiSwitch.Core.Metrics;
using AiSwitch.Protocol;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>Get-AiAgentMetrics: recorded agent samples, raw or aggregated (Avg, Max, Min, Sum) per -Interval seconds (seed 003 metrics.query).</summary>
[Cmdlet(VerbsCommon.Get, "AiAgentMetrics", DefaultParameterSetName = DefaultSet)]
[OutputType(typeof(AgentMetricsSample))]
public sealed class GetAiAgentMetricsCommand : AiCmdlet
{
    public const string DefaultSet = "Default";

    [Parameter(ParameterSetName = DefaultSet, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(UsageAgentCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Agent { get; set; }

    [Parameter(ParameterSetName = DefaultSet)]
    public DateTime? Start { get; set; }

    [Parameter(ParameterSetName = DefaultSet)]
    public DateTime? End { get; set; }

    [Parameter(ParameterSetName = DefaultSet)]
    public MetricAggregation? Aggregation { get; set; }

    /// <summary>Bucket width in seconds.</summary>
    [Parameter(ParameterSetName = DefaultSet)]
    [ValidateRange(1, 31_536_000)]
    public double? Interval { get; set; }

    protected override void ProcessRecord()
    {
        var query = new MetricsQuery
        {
            Agent = Agent,
            Start = Start is { } start ? new DateTimeOffset(start) : null,
            End = End is { } end ? new DateTimeOffset(end) : null,
            Aggregation = Aggregation,
            Interval = Interval is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        };
        var store = Session.Metrics;
        WriteObject(Run((context, _) => Task.FromResult(store.Query(query, context))), enumerateCollection: true);
    }
}
