using System.Management.Automation;
using AiSwitch.PowerShell.Completers;
using AiSwitch.Core.Presets;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// Remove-AiPreset: deletes preset files; a missing one is a non-terminating error. ConfirmImpact Medium, as Remove-Item
/// and Remove-Secret, so a script removes without -Confirm:$false; -Force for a lowered $ConfirmPreference.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "AiPreset", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByNameSet)]
[OutputType(typeof(void))]
public sealed class RemoveAiPresetCommand : AiCmdlet
{
    public const string ByNameSet = "ByName";

    [Parameter(ParameterSetName = ByNameSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PresetNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Removes without asking, even when $ConfirmPreference would; -WhatIf still only reports.</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var store = Session.Presets;
        foreach (var name in Name)
        {
            if (ShouldProcess(name, "Remove preset", Force))
            {
                TryInvoke(() => store.Remove(name), name);
            }
        }
    }
}
