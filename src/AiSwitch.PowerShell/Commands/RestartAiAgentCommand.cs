using System.Management.Automation;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>Restart-AiAgent: stops agents (letting tasks finish) and starts them again with the same preset. Core: <see cref="AgentDoor.RestartAsync"/>.</summary>
[Cmdlet(VerbsLifecycle.Restart, "AiAgent", SupportsShouldProcess = true, DefaultParameterSetName = Default)]
[OutputType(typeof(AiAgent))]
public sealed class RestartAiAgentCommand : AiCmdlet
{
    public const string Default = "Default";

    [Parameter(ParameterSetName = Default, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    protected override void ProcessRecord()
    {
        var registry = Session.Agents;
        foreach (var name in Name)
        {
            if (ShouldProcess(name, "Restart agent"))
            {
                if (TryRun((_, token) => registry.RestartAsync(name, token), name) is { } agent)
                {
                    WriteObject(agent);
                }
            }
        }
    }
}
