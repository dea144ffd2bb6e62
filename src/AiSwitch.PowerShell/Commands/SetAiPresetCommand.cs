using System.Collections;
using System.Management.Automation;
using AiSwitch.PowerShell.Completers;
using AiSwitch.Core.Presets;

namespace AiSwitch.PowerShell.Commands;

/// <summary>Set-AiPreset: adds or replaces variables, removes some, changes the description or tags.</summary>
[Cmdlet(VerbsCommon.Set, "AiPreset", SupportsShouldProcess = true, DefaultParameterSetName = DefaultSet)]
[OutputType(typeof(Preset))]
public sealed class SetAiPresetCommand : AiCmdlet
{
    public const string DefaultSet = "Default";

    [Parameter(ParameterSetName = DefaultSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PresetNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>Variables to add or replace; the others stay.</summary>
    [Parameter(ParameterSetName = DefaultSet, Position = 1)]
    public Hashtable? Variable { get; set; }

    [Parameter(ParameterSetName = DefaultSet)]
    [ValidateNotNullOrEmpty]
    public string[]? RemoveVariable { get; set; }

    [Parameter(ParameterSetName = DefaultSet)]
    public string? Description { get; set; }

    /// <summary>The new tags (they replace the old ones; pass an empty array to clear them).</summary>
    [Parameter(ParameterSetName = DefaultSet)]
    [Alias("Tags")]
    [AllowEmptyCollection]
    public string[]? Tag { get; set; }

    protected override void ProcessRecord()
    {
        var request = new SetPresetRequest
        {
            Name = Name,
            Variables = Variable is null ? null : PresetParameters.Variables(Variable),
            RemoveVariables = RemoveVariable,
            Description = Description,
            Tags = Tag,
        };
        if (ShouldProcess(Name, "Update preset"))
        {
            TryInvoke(() => WriteObject(Session.Presets.Update(request)), Name);
        }
    }
}
