using System.Management.Automation;
using AiSwitch.Core.Usage;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>Set-AiTokenQuota: sets an agent's (or, with -Agent '*', the overall) daily token and cost limits in config/quotas.yaml.</summary>
[Cmdlet(VerbsCommon.Set, "AiTokenQuota", SupportsShouldProcess = true, DefaultParameterSetName = DefaultSet)]
[OutputType(typeof(TokenQuota))]
public sealed class SetAiTokenQuotaCommand : AiCmdlet
{
    public const string DefaultSet = "Default";

    [Parameter(ParameterSetName = DefaultSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(UsageAgentCompleter))]
    [ValidateNotNullOrEmpty]
    public string Agent { get; set; } = string.Empty;

    [Parameter(ParameterSetName = DefaultSet, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, long.MaxValue)]
    public long? DailyTokens { get; set; }

    [Parameter(ParameterSetName = DefaultSet, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 1_000_000_000)]
    public decimal? DailyCostUsd { get; set; }

    [Parameter(ParameterSetName = DefaultSet, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0.01, 1.0)]
    public double? WarnAt { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Agent, "Set daily token quota"))
        {
            return;
        }

        var request = new SetQuotaRequest { Agent = Agent, DailyTokens = DailyTokens, DailyCostUsd = DailyCostUsd, WarnAt = WarnAt };
        EngineEvents.AttachAlerts(Session, Events);
        var quotas = Session.Quotas;
        if (TryRun((context, _) => Task.FromResult(quotas.Set(request, context)), Agent) is { } quota)
        {
            WriteObject(quota);
        }
    }
}
