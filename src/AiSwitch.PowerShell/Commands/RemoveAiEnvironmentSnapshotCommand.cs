using System.Management.Automation;
using AiSwitch.Core.Environments;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// Remove-AiEnvironmentSnapshot: deletes a snapshot. ConfirmImpact Medium, as Remove-Item; -Force for a lowered
/// $ConfirmPreference. Core: <see cref="EnvironmentOperations.RemoveSnapshot"/>.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "AiEnvironmentSnapshot", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = Default)]
[OutputType(typeof(void))]
public sealed class RemoveAiEnvironmentSnapshotCommand : AiCmdlet
{
    public const string Default = "Default";

    [Parameter(ParameterSetName = Default, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SnapshotIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string SnapshotId { get; set; } = string.Empty;

    /// <summary>The agent; without it, this session.</summary>
    [Parameter(ParameterSetName = Default, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnvironmentAgentCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Agent { get; set; }

    /// <summary>Removes without asking, even when $ConfirmPreference would; -WhatIf still only reports.</summary>
    [Parameter(ParameterSetName = Default)]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var target = Agent ?? EnvironmentDoor.SessionTarget;
        if (ShouldProcess($"{target}/{SnapshotId}", "Remove environment snapshot", Force))
        {
            TryInvoke(() => Session.Environments.RemoveSnapshot(target, SnapshotId), SnapshotId);
        }
    }
}
