using System.Management.Automation;
using AiSwitch.Core.Environments;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>Checkpoint-AiEnvironment: saves a target's current environment as a snapshot. Core: <see cref="EnvironmentOperations.Checkpoint"/>.</summary>
[Cmdlet(VerbsData.Checkpoint, "AiEnvironment", SupportsShouldProcess = true, DefaultParameterSetName = Default)]
[OutputType(typeof(EnvSnapshot))]
public sealed class CheckpointAiEnvironmentCommand : AiCmdlet
{
    public const string Default = "Default";

    /// <summary>The agent; without it, this session.</summary>
    [Parameter(ParameterSetName = Default, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnvironmentAgentCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Agent { get; set; }

    /// <summary>The new snapshot's id; without it, a sortable timestamp. Not taken from the pipeline, where it would name an existing snapshot.</summary>
    [Parameter(ParameterSetName = Default, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? SnapshotId { get; set; }

    [Parameter(ParameterSetName = Default)]
    public string? Description { get; set; }

    protected override void ProcessRecord()
    {
        var target = Agent ?? EnvironmentDoor.SessionTarget;
        if (ShouldProcess(target, SnapshotId is null ? "Save a snapshot" : $"Save snapshot '{SnapshotId}'"))
        {
            TryInvoke(() => WriteObject(Session.Environments.Checkpoint(target, SnapshotId, Description)), target);
        }
    }
}
