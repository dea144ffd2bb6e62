using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;

namespace AiSwitch.PowerShell;

/// <summary>
/// One <see cref="AiSession"/> per runspace: created on a runspace's first AiSwitch command, disposed when the
/// runspace closes or breaks, or when the module is removed.
/// </summary>
internal static class RunspaceSessions
{
    private static readonly ConcurrentDictionary<Guid, AiSession> Sessions = new();

    /// <summary>The session of the runspace this thread runs (completers, which have no cmdlet, use it too).</summary>
    public static AiSession Current => For(Runspace.DefaultRunspace);

    public static AiSession For(Runspace runspace)
    {
        if (Sessions.TryGetValue(runspace.InstanceId, out var existing) && !existing.IsDisposed)
        {
            return existing;
        }

        var created = Sessions.AddOrUpdate(
            runspace.InstanceId,
            _ => AiSession.CreateDefault(),
            (_, old) => old.IsDisposed ? AiSession.CreateDefault() : old);
        runspace.StateChanged -= OnStateChanged;
        runspace.StateChanged += OnStateChanged;
        return created;
    }

    public static void DisposeAll()
    {
        foreach (var id in Sessions.Keys)
        {
            Close(id);
        }
    }

    private static void OnStateChanged(object? sender, RunspaceStateEventArgs e)
    {
        if (sender is Runspace runspace
            && e.RunspaceStateInfo.State is RunspaceState.Closed or RunspaceState.Broken or RunspaceState.Closing)
        {
            runspace.StateChanged -= OnStateChanged;
            Close(runspace.InstanceId);
        }
    }

    private static void Close(Guid id)
    {
        if (Sessions.TryRemove(id, out var session))
        {
            try
            {
                session.Dispose();
            }
            catch (AggregateException)
            {
                // A runspace is going away; nothing is left to report to.
            }
        }
    }
}
