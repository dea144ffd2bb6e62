using System.Management.Automation;
using AiSwitch.Core.Environments;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// Restore-AiEnvironment: puts a snapshot back after verifying its checksum (-Force restores a mismatching one).
/// Takes SnapshotId and Agent from the pipeline, so Checkpoint-AiEnvironment | Restore-AiEnvironment works.
/// Core: <see cref="EnvironmentOperations.Restore"/>.
/// </summary>
[Cmdlet(VerbsData.Restore, "AiEnvironment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = Default)]
[OutputType(typeof(RollbackResult))]
public sealed class RestoreAiEnvironmentCommand : AiCmdlet
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

    /// <summary>Restore even when the snapshot no longer matches its checksum.</summary>
    [Parameter(ParameterSetName = Default)]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var target = Agent ?? EnvironmentDoor.SessionTarget;
        if (ShouldProcess(target, $"Restore snapshot '{SnapshotId}'"))
        {
            TryInvoke(() => WriteObject(Session.Environments.Restore(target, SnapshotId, Force)), SnapshotId);
        }
    }
}
