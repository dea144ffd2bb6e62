using System.Management.Automation;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// Unregister-AiAgent: removes definitions from config/agents.yaml, stopping an agent this session runs first.
/// ConfirmImpact Medium, as Unregister-SecretVault; -Force for a lowered $ConfirmPreference. Core: <see cref="AgentDoor.UnregisterAsync"/>.
/// </summary>
[Cmdlet(VerbsLifecycle.Unregister, "AiAgent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = Default)]
[OutputType(typeof(void))]
public sealed class UnregisterAiAgentCommand : AiCmdlet
{
    public const string Default = "Default";

    [Parameter(ParameterSetName = Default, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Unregisters without asking, even when $ConfirmPreference would; -WhatIf still only reports.</summary>
    [Parameter(ParameterSetName = Default)]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var registry = Session.Agents;
        foreach (var name in Name)
        {
            if (ShouldProcess(name, "Unregister agent", Force))
            {
                TryRun(async (_, token) => { await registry.UnregisterAsync(name, token).ConfigureAwait(false); return true; }, name);
            }
        }
    }
}
