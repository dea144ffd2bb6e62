using System.Management.Automation;

namespace AiSwitch.PowerShell.Commands;

/// <summary>Grant-AiProjectPin: Allows a project pin (.aiswitch.yaml): its current content takes effect in Use-AiPreset and aiswitch apply. Core: <see cref="Core.Presets.ProjectPinTrust"/>.</summary>
[Cmdlet(VerbsSecurity.Grant, "AiProjectPin", SupportsShouldProcess = true, DefaultParameterSetName = Default)]
[OutputType(typeof(ProjectPinStatus))]
public sealed class GrantAiProjectPinCommand : AiCmdlet
{
    public const string Default = "Default";

    /// <summary>The pin file, or a folder in its project (searched upward); without it, the current location.</summary>
    [Parameter(ParameterSetName = Default, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    protected override void ProcessRecord()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path ?? SessionState.Path.CurrentFileSystemLocation.ProviderPath);
        if (ShouldProcess(path, "Allow the project pin's current content to take effect"))
        {
            TryInvoke(() => WriteObject(Session.Environments.AllowPin(path)), path);
        }
    }
}
