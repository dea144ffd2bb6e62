using System.Management.Automation;
using AiSwitch.Protocol;
using AiSwitch.Core.Usage;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// Get-AiTokenUsage: token usage and cost from the ledger, as flat rows grouped by agent, model, preset, day or hour
/// (days and hours in the local time zone), or with -Summary as seed 003's TokenSummaryResult.
/// </summary>
[Cmdlet(VerbsCommon.Get, "AiTokenUsage", DefaultParameterSetName = RowsSet)]
[OutputType(typeof(TokenUsageRow), ParameterSetName = [RowsSet])]
[OutputType(typeof(TokenSummary), ParameterSetName = [SummarySet])]
public sealed class GetAiTokenUsageCommand : AiCmdlet
{
    public const string RowsSet = "Rows";
    public const string SummarySet = "Summary";

    /// <summary>Agents to report; a piped object binds by its Agent or Name (Get-AiAgent | Get-AiTokenUsage).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(UsageAgentCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Agent { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(UsageModelCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Model { get; set; }

    [Parameter]
    public DateTime? Since { get; set; }

    [Parameter]
    public DateTime? Until { get; set; }

    [Parameter]
    public UsageTimeframe? Timeframe { get; set; }

    [Parameter(ParameterSetName = RowsSet)]
    public UsageGroupBy GroupBy { get; set; } = UsageGroupBy.Agent;

    [Parameter(ParameterSetName = SummarySet, Mandatory = true)]
    public SwitchParameter Summary { get; set; }

    protected override void ProcessRecord()
    {
        var query = new TokenUsageQuery
        {
            Agent = Agent,
            Model = Model,
            Since = Since is { } since ? new DateTimeOffset(since) : null, // an Unspecified time is taken as local
            Until = Until is { } until ? new DateTimeOffset(until) : null,
            Timeframe = Timeframe,
            GroupBy = GroupBy,
            TimeZone = TimeZoneInfo.Local,
        };
        var usage = Session.Usage;
        if (Summary)
        {
            WriteObject(Run((context, _) => Task.FromResult(usage.Summary(query, context))));
        }
        else
        {
            WriteObject(Run((context, _) => Task.FromResult(usage.Query(query, context))), enumerateCollection: true);
        }
    }
}
