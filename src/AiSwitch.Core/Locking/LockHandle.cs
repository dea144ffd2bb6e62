using AiSwitch.Core.Home;

namespace AiSwitch.Core.Locking;

/// <summary>
/// A held lock. Disposing it releases the lock: the owner record goes first, then the OS lock, so nobody sees
/// a free lock with a live record. If the process dies instead, the kernel drops the OS lock and the record
/// is left for stale-owner cleanup.
/// </summary>
internal sealed class LockHandle : IDisposable, IAsyncDisposable
{
    private readonly string _recordPath;
    private readonly Action<LockHandle>? _onRelease;
    private FileMutex? _mutex;

    internal LockHandle(Lock info, FileMutex mutex, string recordPath, Action<LockHandle>? onRelease)
    {
        Lock = info;
        _mutex = mutex;
        _recordPath = recordPath;
        _onRelease = onRelease;
    }

    /// <summary>The lock as it was when taken (State Held).</summary>
    public Lock Lock { get; }

    public string Name => Lock.Name;

    public string LockId => Lock.LockId;

    public bool IsReleased => Volatile.Read(ref _mutex) is null;

    /// <summary>Processes started until the scope is disposed inherit the lock (see <see cref="FileMutex.LendToChildren"/>).</summary>
    internal IDisposable? LendToChildren() => Volatile.Read(ref _mutex)?.LendToChildren();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _mutex, null) is not { } mutex)
        {
            return;
        }

        try
        {
            LockFolder.Remove(_recordPath);
        }
        finally
        {
            mutex.Dispose();
            _onRelease?.Invoke(this);
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public override string ToString() => Lock.ToString();
}
