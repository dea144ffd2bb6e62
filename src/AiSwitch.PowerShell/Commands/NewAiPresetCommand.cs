using System.Collections;
using System.Management.Automation;
using AiSwitch.Core.Presets;

namespace AiSwitch.PowerShell.Commands;

/// <summary>New-AiPreset: creates (with -Force, replaces) a preset file.</summary>
[Cmdlet(VerbsCommon.New, "AiPreset", SupportsShouldProcess = true, DefaultParameterSetName = DefaultSet)]
[OutputType(typeof(Preset))]
public sealed class NewAiPresetCommand : AiCmdlet
{
    public const string DefaultSet = "Default";

    [Parameter(ParameterSetName = DefaultSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>Name → value: text, a SecureString, or a reference (env:NAME, file:PATH, secret:[VAULT/]NAME).</summary>
    [Parameter(ParameterSetName = DefaultSet, Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public Hashtable Variable { get; set; } = [];

    [Parameter(ParameterSetName = DefaultSet, ValueFromPipelineByPropertyName = true)]
    public string? Description { get; set; }

    [Parameter(ParameterSetName = DefaultSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Tags")]
    public string[]? Tag { get; set; }

    [Parameter(ParameterSetName = DefaultSet)]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var request = new NewPresetRequest
        {
            Name = Name,
            Variables = PresetParameters.Variables(Variable),
            Description = Description,
            Tags = Tag,
            Force = Force,
        };
        if (ShouldProcess(Name, Force ? "Create or replace preset" : "Create preset"))
        {
            TryInvoke(() => WriteObject(Session.Presets.Create(request)), Name);
        }
    }
}
