using System.Management.Automation;
using AiSwitch.Core.Locking;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// <c>Unlock-AiResource -LockId | -Name [-PassThru]</c>: releases locks this session took with Lock-AiResource.
/// A piped Lock releases exactly that lock (by its LockId); -Name releases every lock of that name the session holds.
/// </summary>
[Cmdlet(VerbsCommon.Unlock, "AiResource", DefaultParameterSetName = ByIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Lock))]
public sealed class UnlockAiResourceCommand : AiCmdlet
{
    public const string ByIdSet = "ById";
    public const string ByNameSet = "ByName";

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
    public string LockId { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByNameSet)]
    [ArgumentCompleter(typeof(LockNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>Writes the released locks.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var byId = ParameterSetName == ByIdSet;
        var target = byId ? $"lock id {LockId}" : $"lock '{Name}'";
        if (!ShouldProcess(target, "Release lock"))
        {
            return;
        }

        var locks = Session.Locks;
        IReadOnlyList<Lock> released = [];
        if (TryInvoke(() => released = byId ? locks.Release(lockId: LockId) : locks.Release(name: Name), byId ? LockId : Name) && PassThru)
        {
            WriteObject(released, enumerateCollection: true);
        }
    }
}
