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

    /// <summary>Skip the snapshot taken before the preset is applied.</summary>
    [Parameter]
    public SwitchParameter NoSnapshot { get; set; }

    protected override void ProcessRecord()
    {
        var here = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        var what = Name is null ? $"Apply the project's pinned preset (.aiswitch.yaml at or above '{here}')" : $"Apply preset '{Name}'";
        if (!ShouldProcess(EnvironmentDoor.SessionTarget, what))
        {
            return;
        }

        var operations = Session.Environments;
        TryInvoke(() => WriteObject(operations.Apply(Name, here, snapshot: !NoSnapshot, SecretManagementLookup.For(this))), Name);
    }
}
