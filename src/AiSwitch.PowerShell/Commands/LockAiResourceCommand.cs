using System.Management.Automation;
using AiSwitch.Core.Locking;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// <c>Lock-AiResource -Name [-Shared] [-Timeout] [-Expiry]</c>: takes a named lock that this session (runspace)
/// holds until Unlock-AiResource or until the session ends. Returns the Lock.
/// </summary>
[Cmdlet(VerbsCommon.Lock, "AiResource", DefaultParameterSetName = ByNameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Lock))]
public sealed class LockAiResourceCommand : AiCmdlet
{
    public const string ByNameSet = "ByName";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByNameSet)]
    [ArgumentCompleter(typeof(LockNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>A shared lock: other shared holders may hold it at once; exclusive ones wait.</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    public SwitchParameter Shared { get; set; }

    /// <summary>Seconds to wait for the lock; 0 tries once. Not given: coordination.yaml's lock_timeout_seconds, else 30.</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    [ValidateRange(0.0, 2_000_000.0)]
    public double Timeout { get; set; } = LockDoor.DefaultTimeoutSeconds;

    /// <summary>Seconds you expect to hold it; past that Get-AiLock reports it as Expired. No expiry by default.</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    [ValidateRange(0.001, 2_000_000_000.0)]
    public double? Expiry { get; set; }

    protected override void ProcessRecord()
    {
        var request = new AcquireLockRequest(Name)
        {
            Mode = Shared ? LockMode.Shared : LockMode.Exclusive,
            // Left out, the engine takes config/coordination.yaml's lock_timeout_seconds.
            Timeout = MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)) ? TimeSpan.FromSeconds(Timeout) : null,
            Expiry = Expiry is { } expiry ? TimeSpan.FromSeconds(expiry) : null,
        };
        if (!ShouldProcess(Name, $"Acquire {request.Mode.ToString().ToLowerInvariant()} lock"))
        {
            return;
        }

        // A lock not had in time is this name's failure: non-terminating, so -ErrorAction decides.
        var locks = Session.Locks;
        if (TryRun((_, cancellationToken) => locks.AcquireAsync(request, cancellationToken), Name) is { } held)
        {
            WriteObject(held);
        }
    }
}
