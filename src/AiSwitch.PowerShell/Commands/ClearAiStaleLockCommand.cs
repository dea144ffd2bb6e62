using System.Management.Automation;
using AiSwitch.Core.Locking;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// <c>Clear-AiStaleLock [-Name &lt;wildcard&gt;] [-PassThru]</c>: removes owner records whose holder is gone (its
/// process exited or its pid was reused) or whose lock is no longer held. Live holders are never touched.
/// </summary>
[Cmdlet(VerbsCommon.Clear, "AiStaleLock", DefaultParameterSetName = ByNameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Lock))]
public sealed class ClearAiStaleLockCommand : AiCmdlet
{
    public const string ByNameSet = "ByName";

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByNameSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(LockNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Writes the removed owner records (State Stale, with the reason).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var locks = Session.Locks;
        foreach (var pattern in (string?[]?)Name ?? [null])
        {
            var removed = TryRun((context, cancellationToken) => locks.ClearStaleAsync(pattern, context, cancellationToken), pattern);
            if (PassThru && removed is not null)
            {
                WriteObject(removed, enumerateCollection: true);
            }
        }
    }
}
