using System.Management.Automation;
using AiSwitch.Core.Metrics;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// Export-AiMetrics: Prometheus text (current agent gauges, ledger counters), or recorded samples as CSV or JSON; to the
/// pipeline as text, or to -Path (then the file's FileInfo).
/// </summary>
[Cmdlet(VerbsData.Export, "AiMetrics", SupportsShouldProcess = true, DefaultParameterSetName = DefaultSet)]
[OutputType(typeof(string), typeof(FileInfo))]
public sealed class ExportAiMetricsCommand : AiCmdlet
{
    public const string DefaultSet = "Default";

    [Parameter(ParameterSetName = DefaultSet, Mandatory = true, Position = 0)]
    public MetricsFormat Format { get; set; }

    [Parameter(ParameterSetName = DefaultSet, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter(ParameterSetName = DefaultSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(UsageAgentCompleter))]
    public string[]? Agent { get; set; }

    [Parameter(ParameterSetName = DefaultSet)]
    public DateTime? Start { get; set; }

    [Parameter(ParameterSetName = DefaultSet)]
    public DateTime? End { get; set; }

    protected override void ProcessRecord()
    {
        var query = new MetricsQuery { Agent = Agent, Start = Start is { } s ? new DateTimeOffset(s) : null, End = End is { } e ? new DateTimeOffset(e) : null };
        var metrics = Session.Metrics;
        if (Path is null)
        {
            WriteObject(Run((context, _) => Task.FromResult(metrics.Export(Format, query, context))));
            return;
        }

        var file = GetUnresolvedProviderPathFromPSPath(Path);
        if (ShouldProcess(file, $"Write {Format} metrics"))
        {
            WriteObject(Run((context, _) => Task.FromResult(metrics.ExportToFile(Format, file, query, context))));
        }
    }
}
