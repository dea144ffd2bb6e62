using System.Management.Automation;
using AiSwitch.Core.Agents;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// Register-AiAgent: adds an agent definition to config/agents.yaml (with -Force, replaces one; a built-in's name
/// overrides the built-in). Core: <see cref="AgentDefinitionStore.Register"/>.
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "AiAgent", SupportsShouldProcess = true, DefaultParameterSetName = Default)]
[OutputType(typeof(AgentDefinition))]
public sealed class RegisterAiAgentCommand : AiCmdlet
{
    public const string Default = "Default";

    [Parameter(ParameterSetName = Default, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    [Parameter(ParameterSetName = Default, Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AdapterNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Adapter { get; set; } = string.Empty;

    /// <summary>The executable: a name found on PATH, or a path. Without it, the adapter's default command.</summary>
    [Parameter(ParameterSetName = Default, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Command { get; set; }

    [Parameter(ParameterSetName = Default)]
    public string[] Argument { get; set; } = [];

    [Parameter(ParameterSetName = Default, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PresetNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Preset { get; set; }

    [Parameter(ParameterSetName = Default)]
    public string[] Tag { get; set; } = [];

    [Parameter(ParameterSetName = Default)]
    [ValidateRange(1, 64)]
    public int MaxConcurrency { get; set; } = 1;

    [Parameter(ParameterSetName = Default)]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    [Parameter(ParameterSetName = Default, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Model { get; set; }

    /// <summary>The default task timeout, in seconds.</summary>
    [Parameter(ParameterSetName = Default)]
    [ValidateRange(1.0, 86400.0)]
    public double Timeout { get; set; }

    [Parameter(ParameterSetName = Default)]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name, $"Register agent (adapter {Adapter})"))
        {
            return;
        }

        var request = new RegisterAgentRequest
        {
            Name = Name, Adapter = Adapter, Command = Command, Arguments = Argument, Preset = Preset, Tags = Tag,
            MaxConcurrency = MaxConcurrency, Model = Model, Force = Force,
            WorkingDirectory = WorkingDirectory is null ? null : GetUnresolvedProviderPathFromPSPath(WorkingDirectory),
            DefaultTimeout = Timeout > 0 ? TimeSpan.FromSeconds(Timeout) : null,
        };
        TryInvoke(() => WriteObject(Session.Agents.Register(request)), Name);
    }
}
