using System.Management.Automation;
using AiSwitch.Core.Usage;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>Get-AiTokenQuota: the daily quotas with today's (UTC) use, remaining and state (Ok, Warn, Exceeded).</summary>
[Cmdlet(VerbsCommon.Get, "AiTokenQuota", DefaultParameterSetName = DefaultSet)]
[OutputType(typeof(TokenQuota))]
public sealed class GetAiTokenQuotaCommand : AiCmdlet
{
    public const string DefaultSet = "Default";

    [Parameter(ParameterSetName = DefaultSet, Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(UsageAgentCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Agent { get; set; }

    protected override void ProcessRecord()
    {
        EngineEvents.AttachAlerts(Session, Events);
        var quotas = Session.Quotas;
        WriteObject(Run((context, _) => Task.FromResult(quotas.Get(Agent, context))), enumerateCollection: true);
    }
}
