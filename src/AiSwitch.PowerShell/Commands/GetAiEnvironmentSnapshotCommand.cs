using System.Management.Automation;
using AiSwitch.Core.Environments;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>Get-AiEnvironmentSnapshot: lists snapshots (values redacted), of one target or all. Core: <see cref="EnvironmentOperations.ListSnapshots"/>.</summary>
[Cmdlet(VerbsCommon.Get, "AiEnvironmentSnapshot", DefaultParameterSetName = Default)]
[OutputType(typeof(EnvSnapshot))]
public sealed class GetAiEnvironmentSnapshotCommand : AiCmdlet
{
    public const string Default = "Default";

    /// <summary>Only this agent's (or 'session') snapshots; without it, every target's.</summary>
    [Parameter(ParameterSetName = Default, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnvironmentAgentCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Agent { get; set; }

    /// <summary>An id or a wildcard pattern; an exact id that matches nothing is an error.</summary>
    [Parameter(ParameterSetName = Default, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SnapshotIdCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? SnapshotId { get; set; }

    protected override void ProcessRecord()
    {
        TryInvoke(() => WriteObject(Session.Environments.ListSnapshots(Agent, SnapshotId), enumerateCollection: true), SnapshotId);
    }
}
