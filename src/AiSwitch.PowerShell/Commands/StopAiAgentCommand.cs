using System.Management.Automation;
using AiSwitch.Core.Agents;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// Stop-AiAgent: stops agents of this session, or of the session (process) that runs them, which is asked through
/// state/agent-stops and named in the result's OwnerPid; running tasks get -Timeout seconds (none with -Force), then every
/// process of the agent's tree is killed. Core: <see cref="AgentRegistry.StopAsync"/>.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "AiAgent", SupportsShouldProcess = true, DefaultParameterSetName = Default)]
[OutputType(typeof(AiAgent))]
public sealed class StopAiAgentCommand : AiCmdlet
{
    public const string Default = "Default";

    [Parameter(ParameterSetName = Default, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Kill at once, without letting running tasks finish.</summary>
    [Parameter(ParameterSetName = Default)]
    public SwitchParameter Force { get; set; }

    /// <summary>Seconds running tasks and the agent get to finish before they are killed (default 10).</summary>
    [Parameter(ParameterSetName = Default)]
    [ValidateRange(0.0, 3600.0)]
    public double Timeout { get; set; } = StopAgentRequest.DefaultTimeoutSeconds;

    protected override void ProcessRecord()
    {
        var registry = Session.Agents;
        foreach (var name in Name)
        {
            if (ShouldProcess(name, Force ? "Kill agent" : "Stop agent"))
            {
                var request = new StopAgentRequest { Name = name, Force = Force, Timeout = TimeSpan.FromSeconds(Timeout) };
                if (TryRun((_, token) => registry.StopAsync(request, token), name) is { } agent)
                {
                    if (agent.OwnerPid is { } owner && owner != Environment.ProcessId)
                    {
                        WriteVerbose($"Agent '{agent.Name}' ran in another session, process {owner}; it was stopped there.");
                    }

                    WriteObject(agent);
                }
            }
        }
    }
}
