using AiSwitch.Core.Hosting;
using AiSwitch.Core.Locking;

namespace AiSwitch.Core;

/// <summary>The locks door: named locks shared by every session and process on the home folder (<c>locks/</c>).</summary>
public sealed class LockDoor
{
    private readonly AiSession _session;

    internal LockDoor(AiSession session) => _session = session;

    /// <summary>How long an acquire waits, in seconds, when the request names no timeout.</summary>
    public const double DefaultTimeoutSeconds = LockOperations.DefaultTimeoutSeconds;

    public static TimeSpan DefaultTimeout => LockOperations.DefaultTimeout;

    /// <summary>Takes the lock for this session (held until released or the session ends); LockTimeout when it stays taken.</summary>
    public async Task<Lock> AcquireAsync(AcquireLockRequest request, CancellationToken cancellationToken = default)
        => (await Operations.AcquireAsync(request, cancellationToken).ConfigureAwait(false)).Lock;

    /// <summary>Releases this session's hold on a lock, by name or by id; returns what was released.</summary>
    public IReadOnlyList<Lock> Release(string? name = null, string? lockId = null) => Operations.Release(name, lockId);

    /// <summary>Every holder of every lock whose name matches (all sessions and processes), with its state.</summary>
    public IReadOnlyList<Lock> List(string? pattern = null, IOperationContext? context = null) => Operations.List(pattern, context);

    /// <summary>Removes owner records whose holder is gone or whose lock is no longer held; returns them.</summary>
    public Task<IReadOnlyList<Lock>> ClearStaleAsync(string? pattern, IOperationContext context, CancellationToken cancellationToken = default)
        => Operations.ClearStaleAsync(pattern, context, cancellationToken);

    /// <summary>Holds a lock while a command runs; returns the command's exit code.</summary>
    public Task<int> RunAsync(AcquireLockRequest request, string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
        => Operations.RunAsync(request, command, arguments, cancellationToken);

    /// <summary>The names of the locks in the home folder (tab completion).</summary>
    public IReadOnlyList<string> Names() => LockOperations.KnownNames(_session.Home);

    private LockOperations Operations => LockOperations.For(_session);
}
