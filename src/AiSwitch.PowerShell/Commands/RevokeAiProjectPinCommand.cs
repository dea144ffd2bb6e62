using System.Management.Automation;

namespace AiSwitch.PowerShell.Commands;

/// <summary>Revoke-AiProjectPin: Withdraws a project pin's allowance: Use-AiPreset and aiswitch apply refuse it until it is allowed again. Core: <see cref="Core.Presets.ProjectPinTrust"/>.</summary>
[Cmdlet(VerbsSecurity.Revoke, "AiProjectPin", SupportsShouldProcess = true, DefaultParameterSetName = Default)]
[OutputType(typeof(ProjectPinStatus))]
public sealed class RevokeAiProjectPinCommand : AiCmdlet
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
        if (ShouldProcess(path, "Withdraw the project pin's allowance"))
        {
            TryInvoke(() => WriteObject(Session.Environments.DenyPin(path)), path);
        }
    }
}
