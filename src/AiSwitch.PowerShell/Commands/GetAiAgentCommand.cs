using System.Management.Automation;
using AiSwitch.Core.Agents;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// Get-AiAgent: agents by name or wildcard with their status in this session or any other live one. A literal name
/// that does not exist is an error. Core: <see cref="AgentRegistry.Get"/>.
/// </summary>
[Cmdlet(VerbsCommon.Get, "AiAgent", DefaultParameterSetName = Default)]
[OutputType(typeof(AiAgent))]
public sealed class GetAiAgentCommand : AiCmdlet
{
    public const string Default = "Default";

    [Parameter(ParameterSetName = Default, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgentNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Only agents that some session runs (starting, idle, running, busy or stopping).</summary>
    [Parameter(ParameterSetName = Default)]
    public SwitchParameter Running { get; set; }

    protected override void ProcessRecord()
    {
        var registry = Session.Agents;
        foreach (var name in Name ?? ["*"])
        {
            TryInvoke(() => WriteObject(registry.Get(name, Running), enumerateCollection: true), name);
        }
    }
}
