using System.Management.Automation;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>Get-AiPreset: presets by name or wildcard, values redacted. A literal name that does not exist is an error.</summary>
[Cmdlet(VerbsCommon.Get, "AiPreset", DefaultParameterSetName = ByNameSet)]
[OutputType(typeof(Preset))]
public sealed class GetAiPresetCommand : AiCmdlet
{
    public const string ByNameSet = "ByName";

    [Parameter(ParameterSetName = ByNameSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PresetNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var store = Session.Presets;
        foreach (var name in Name ?? ["*"])
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                // Malformed files come back as non-terminating errors while the rest are listed.
                WriteObject(Run((context, _) => Task.FromResult(store.List(name, context))), enumerateCollection: true);
            }
            else
            {
                Preset? preset = null;
                if (TryInvoke(() => preset = store.Get(name), name))
                {
                    WriteObject(preset);
                }
            }
        }
    }
}
