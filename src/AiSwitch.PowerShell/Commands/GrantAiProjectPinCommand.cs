using System.Management.Automation;

namespace AiSwitch.PowerShell.Commands;

/// <summary>Grant-AiProjectPin: Allows a project pin (.aiswitch.yaml): its current content takes effect in Use-AiPreset and aiswitch apply.</summary>
[Cmdlet(VerbsSecurity.Grant, "AiProjectPin", SupportsShouldProcess = true, DefaultParameterSetName = Default)]
[OutputType(typeof(ProjectPinStatus))]
public sealed class GrantAiProjectPinCommand : ProjectPinCmdlet
{
    private protected override string Action => "Allow the project pin's current content to take effect";

    private protected override ProjectPinStatus Change(string path) => Session.Environments.AllowPin(path);
}
