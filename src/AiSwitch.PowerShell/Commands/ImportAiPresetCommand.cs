using System.Management.Automation;
using AiSwitch.Core.Presets;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// Import-AiPreset: copies the original Python aiswitch's presets (<c>$XDG_CONFIG_HOME/aiswitch/presets</c> or
/// <c>~/.config/aiswitch/presets</c>, or -Path) into AiSwitch, one result per preset.
/// </summary>
[Cmdlet(VerbsData.Import, "AiPreset", SupportsShouldProcess = true, DefaultParameterSetName = DefaultSet)]
[OutputType(typeof(ImportPresetResult))]
public sealed class ImportAiPresetCommand : AiCmdlet
{
    public const string DefaultSet = "Default";

    /// <summary>The folder holding the original's &lt;name&gt;.yaml files.</summary>
    [Parameter(ParameterSetName = DefaultSet, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Replace presets that exist already (otherwise they are skipped with a warning).</summary>
    [Parameter(ParameterSetName = DefaultSet)]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var request = new ImportPresetRequest
        {
            Path = Path is null ? null : GetUnresolvedProviderPathFromPSPath(Path),
            Force = Force,
        };
        var store = Session.Presets;
        TryRunStream((context, cancellationToken) => store.ImportAsync(request, context, cancellationToken), request.Path);
    }
}
