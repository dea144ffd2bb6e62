using System.Management.Automation;
using AiSwitch.PowerShell.Completers;
using AiSwitch.Core.Presets;

namespace AiSwitch.PowerShell.Commands;

/// <summary>Remove-AiPreset: deletes preset files. Asks first (ConfirmImpact High); a missing one is a non-terminating error.</summary>
[Cmdlet(VerbsCommon.Remove, "AiPreset", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ByNameSet)]
[OutputType(typeof(void))]
public sealed class RemoveAiPresetCommand : AiCmdlet
{
    public const string ByNameSet = "ByName";

    [Parameter(ParameterSetName = ByNameSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PresetNameCompleter))]
    public string[] Name { get; set; } = [];

    protected override void ProcessRecord()
    {
        var store = Session.Presets;
        foreach (var name in Name)
        {
            if (ShouldProcess(name, "Remove preset"))
            {
                TryInvoke(() => store.Remove(name), name);
            }
        }
    }
}
