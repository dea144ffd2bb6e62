using System.Management.Automation;
using AiSwitch.Core.Agents;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>Restart-AiAgent: stops agents (letting tasks finish) and starts them again with the same preset. Core: <see cref="AgentRegistry.RestartAsync"/>.</summary>
[Cmdlet(VerbsLifecycle.Restart, "AiAgent", SupportsShouldProcess = true, DefaultParameterSetName = Default)]
[OutputType(typeof(Agent))]
public sealed class RestartAiAgentCommand : AiCmdlet
{
    public const string Default = "Default";

    [Parameter(ParameterSetName = Default, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    protected override void ProcessRecord()
    {
        var registry = AgentRegistry.For(Session);
        foreach (var name in Name)
        {
            if (ShouldProcess(name, "Restart agent"))
            {
                if (Run((context, token) => registry.TryRestartAsync(name, context, token)) is { } agent)
                {
                    WriteObject(agent);
                }
            }
        }
    }
}
