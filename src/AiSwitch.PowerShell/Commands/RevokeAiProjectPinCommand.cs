using System.Management.Automation;

namespace AiSwitch.PowerShell.Commands;

/// <summary>Revoke-AiProjectPin: Withdraws a project pin's allowance: Use-AiPreset and aiswitch apply refuse it until it is allowed again.</summary>
[Cmdlet(VerbsSecurity.Revoke, "AiProjectPin", SupportsShouldProcess = true, DefaultParameterSetName = Default)]
[OutputType(typeof(ProjectPinStatus))]
public sealed class RevokeAiProjectPinCommand : ProjectPinCmdlet
{
    private protected override string Action => "Withdraw the project pin's allowance";

    private protected override ProjectPinStatus Change(string path) => Session.Environments.DenyPin(path);
}
