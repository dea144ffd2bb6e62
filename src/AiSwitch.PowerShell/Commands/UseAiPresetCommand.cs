using System.Management.Automation;
using AiSwitch.Core.Environments;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// Use-AiPreset: applies a preset (or, with no name, the project pin in .aiswitch.yaml) to this session's
/// process environment, after a snapshot. Core: <see cref="EnvironmentDoor.Apply"/>.
/// </summary>
[Cmdlet(VerbsOther.Use, "AiPreset", SupportsShouldProcess = true, DefaultParameterSetName = ByName)]
[OutputType(typeof(SwitchResult))]
public sealed class UseAiPresetCommand : AiCmdlet
{
    public const string ByName = "ByName";

    [Parameter(ParameterSetName = ByName, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PresetNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>
    /// Agents to switch to the preset instead of this session, exactly as Switch-AiEnvironment -Agent does
    /// (<c>aiswitch apply PRESET --agents a,b</c>).
    /// </summary>
    [Parameter(ParameterSetName = ByName)]
    [ArgumentCompleter(typeof(EnvironmentAgentCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Agent { get; set; }

    /// <summary>Skip the snapshot taken before the preset is applied.</summary>
    [Parameter]
    public SwitchParameter NoSnapshot { get; set; }

    protected override void ProcessRecord()
    {
        if (Agent is { Length: > 0 })
        {
            SwitchAgents(Agent);
            return;
        }

        var here = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        var what = Name is null ? $"Apply the project's pinned preset (.aiswitch.yaml at or above '{here}')" : $"Apply preset '{Name}'";
        if (!ShouldProcess(EnvironmentDoor.SessionTarget, what))
        {
            return;
        }

        var operations = Session.Environments;
        TryInvoke(() => WriteObject(operations.Apply(Name, here, snapshot: !NoSnapshot, SecretManagementLookup.For(this))), Name);
    }

    /// <summary>Each agent in turn, as Switch-AiEnvironment does: one that fails is reported and the others go on.</summary>
    private void SwitchAgents(string[] agents)
    {
        if (Name is null)
        {
            Invoke<object>(() => throw new AiSwitchException(ErrorId.InvalidArgument,
                $"-Agent {string.Join(",", agents)} switches agents to a preset, and none was named. Name it: Use-AiPreset -Name PRESET -Agent {string.Join(",", agents)}.", "Name"));
            return;
        }

        var operations = Session.Environments;
        foreach (var agent in agents.SelectMany(a => a.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (ShouldProcess(agent, $"Switch to preset '{Name}'")
                && TryRun((_, cancellation) => operations.SwitchAsync(agent, Name, null, !NoSnapshot, SecretManagementLookup.For(this), cancellation), agent) is { } result)
            {
                WriteObject(result);
            }
        }
    }
}
