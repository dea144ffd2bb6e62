using System.Management.Automation;
using AiSwitch.Core.Agents;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// Start-AiAgent: starts agents in this session (a long-lived one's process; a per-task one is checked and marked
/// ready). They stop when the runspace closes. Core: <see cref="AgentRegistry.StartAsync"/>.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "AiAgent", SupportsShouldProcess = true, DefaultParameterSetName = Default)]
[OutputType(typeof(AiAgent))]
public sealed class StartAiAgentCommand : AiCmdlet
{
    public const string Default = "Default";

    [Parameter(ParameterSetName = Default, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Run with this preset instead of the agent's environment record or definition (not taken from the pipeline).</summary>
    [Parameter(ParameterSetName = Default)]
    [ArgumentCompleter(typeof(PresetNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Preset { get; set; }

    protected override void ProcessRecord()
    {
        var registry = Session.Agents;
        var here = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        foreach (var name in Name)
        {
            if (ShouldProcess(name, Preset is null ? "Start agent" : $"Start agent with preset '{Preset}'"))
            {
                var request = new StartAgentRequest { Name = name, Preset = Preset, WorkingDirectory = here };
                if (TryRun((_, token) => registry.StartAsync(request, token), name) is { } agent)
                {
                    WriteObject(agent);
                }
            }
        }
    }
}
