using System.Management.Automation;
using AiSwitch.Core.Metrics;
using AiSwitch.Protocol;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// Get-AiAgentMetrics: recorded agent samples, raw or aggregated (Avg, Max, Min, Sum) per -Interval seconds (seed 003
/// metrics.query); with -System the host's samples (CPU, memory, load) recorded beside them.
/// </summary>
[Cmdlet(VerbsCommon.Get, "AiAgentMetrics", DefaultParameterSetName = DefaultSet)]
[OutputType(typeof(AgentMetricsSample), ParameterSetName = [DefaultSet])]
[OutputType(typeof(SystemMetricsSample), ParameterSetName = [SystemSet])]
public sealed class GetAiAgentMetricsCommand : AiCmdlet
{
    public const string DefaultSet = "Default";
    public const string SystemSet = "System";

    [Parameter(ParameterSetName = DefaultSet, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(UsageAgentCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Agent { get; set; }

    [Parameter(ParameterSetName = DefaultSet)]
    [Parameter(ParameterSetName = SystemSet)]
    public DateTime? Start { get; set; }

    [Parameter(ParameterSetName = DefaultSet)]
    [Parameter(ParameterSetName = SystemSet)]
    public DateTime? End { get; set; }

    /// <summary>The host's samples instead of the agents'.</summary>
    [Parameter(ParameterSetName = SystemSet, Mandatory = true)]
    public SwitchParameter System { get; set; }

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
        if (System)
        {
            WriteObject(Run((context, _) => Task.FromResult(store.QuerySystem(query, context))), enumerateCollection: true);
            return;
        }

        WriteObject(Run((context, _) => Task.FromResult(store.Query(query, context))), enumerateCollection: true);
    }
}
