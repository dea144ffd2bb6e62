using System.Management.Automation;
using AiSwitch.Core.Environments;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>Remove-AiEnvironmentSnapshot: deletes a snapshot. Core: <see cref="EnvironmentOperations.RemoveSnapshot"/>.</summary>
[Cmdlet(VerbsCommon.Remove, "AiEnvironmentSnapshot", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = Default)]
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

    protected override void ProcessRecord()
    {
        var target = Agent ?? EnvironmentDoor.SessionTarget;
        if (ShouldProcess($"{target}/{SnapshotId}", "Remove environment snapshot"))
        {
            TryInvoke(() => Session.Environments.RemoveSnapshot(target, SnapshotId), SnapshotId);
        }
    }
}
