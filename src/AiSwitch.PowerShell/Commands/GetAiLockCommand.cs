using System.Management.Automation;
using AiSwitch.Core.Locking;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// <c>Get-AiLock [-Name &lt;wildcard&gt;]</c>: every holder of every lock under the home's <c>locks/</c> (all sessions
/// and processes), with its state: Held, Stale (holder gone) or Expired (a warning: live holder past its expiry).
/// </summary>
[Cmdlet(VerbsCommon.Get, "AiLock", DefaultParameterSetName = ByNameSet)]
[OutputType(typeof(Lock))]
public sealed class GetAiLockCommand : AiCmdlet
{
    public const string ByNameSet = "ByName";

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByNameSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(LockNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var locks = Session.Locks;
        foreach (var pattern in (string?[]?)Name ?? [null])
        {
            WriteObject(Run((context, _) => Task.FromResult(locks.List(pattern, context))), enumerateCollection: true);
        }
    }
}
