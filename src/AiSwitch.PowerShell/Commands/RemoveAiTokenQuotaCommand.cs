using System.Management.Automation;
using AiSwitch.Core.Usage;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>Remove-AiTokenQuota: removes quotas; a missing one is a non-terminating QuotaNotFound error.</summary>
[Cmdlet(VerbsCommon.Remove, "AiTokenQuota", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = DefaultSet)]
[OutputType(typeof(void))]
public sealed class RemoveAiTokenQuotaCommand : AiCmdlet
{
    public const string DefaultSet = "Default";

    [Parameter(ParameterSetName = DefaultSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(UsageAgentCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Agent { get; set; } = [];

    protected override void ProcessRecord()
    {
        EngineEvents.AttachAlerts(Session, Events);
        var quotas = Session.Quotas;
        foreach (var agent in Agent)
        {
            if (ShouldProcess(agent, "Remove daily token quota"))
            {
                TryInvoke(() => quotas.Remove(agent), agent);
            }
        }
    }
}
