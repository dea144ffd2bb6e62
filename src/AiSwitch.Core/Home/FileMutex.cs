using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AiSwitch.Core.Home;

/// <summary>
/// A cross-process lock on a lock file: an OS file lock that the kernel drops when its holder dies, so a
/// killed process never leaves it held. On Unix .NET takes flock(LOCK_EX) for a share-none open and
/// flock(LOCK_SH) for a read-shared one, per open file description, so two handles in one process exclude
/// each other as two processes do; on Windows the share modes of the open give the same rules.
/// This is the primitive under state-file updates and under the named locks of <c>AiSwitch.Core.Locking</c>.
/// </summary>
internal sealed partial class FileMutex : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    // errno EWOULDBLOCK (Linux 11, macOS/BSD 35), which .NET reports as the HResult of a refused flock;
    // Windows' ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION.
    private static readonly int[] HeldElsewhereResults = OperatingSystem.IsWindows()
        ? [unchecked((int)0x80070020), unchecked((int)0x80070021)]
        : OperatingSystem.IsLinux() ? [11] : [35];

    // .NET skips the OS lock entirely under this switch (read once per process, as .NET does), which would
    // make every lock a no-op; refuse instead.
    private static readonly bool FileLockingDisabled =
        (AppContext.TryGetSwitch("System.IO.DisableFileLocking", out var disabled) && disabled)
        || Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING") is "1" or "true";

    private FileStream? _stream;

    private FileMutex(FileStream stream, bool shared)
    {
        _stream = stream;
        IsShared = shared;
    }

    /// <summary>True for a shared (read) lock, false for an exclusive one.</summary>
    public bool IsShared { get; }

    /// <summary>
    /// Takes the exclusive lock, waiting with back-off. When <paramref name="timeout"/> passes it is ResourceContention
    /// (seed 003 -40305): one of the home's own files is held by another process, which is not a user's lock timing out.
    /// </summary>
    public static FileMutex Acquire(string path, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var waiting = WaitAsync(path, shared: false, timeout ?? DefaultTimeout, cancellationToken);
        var held = waiting.IsCompletedSuccessfully ? waiting.Result : waiting.AsTask().GetAwaiter().GetResult();
        return held ?? throw new AiSwitchException(ErrorId.ResourceContention,
            $"Timed out after {(timeout ?? DefaultTimeout).TotalSeconds:0.###} s waiting for '{path}': another AiSwitch process holds it (an import, or a " +
            "session writing the same state). Try again when it is done; Get-Process shows the other aiswitch or pwsh processes.",
            path);
    }

    /// <summary>
    /// Takes the lock, retrying with exponential back-off and jitter until <paramref name="timeout"/> passes
    /// (then null). A zero timeout tries once. Completes synchronously when the lock is free.
    /// </summary>
    public static ValueTask<FileMutex?> WaitAsync(string path, bool shared, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return TryAcquire(path, shared) is { } held
            ? ValueTask.FromResult<FileMutex?>(held)
            : RetryAsync(path, shared, timeout, cancellationToken);
    }

    /// <summary>Takes the lock if it is free now; null when another handle (in any process) holds it.</summary>
    public static FileMutex? TryAcquire(string path, bool shared = false)
    {
        ThrowIfFileLockingDisabled();
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = shared ? FileAccess.Read : FileAccess.ReadWrite,
                Share = shared ? FileShare.Read : FileShare.None,
                BufferSize = 0,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = PrivateDirectory.FileMode;
            }

            var stream = new FileStream(path, options);
            if (IsRemoved(stream))
            {
                // Locked a file that a cleaner removed meanwhile (it held the lock then): the lock now lives in a new file.
                stream.Dispose();
                return TryAcquire(path, shared);
            }

            return new FileMutex(stream, shared);
        }
        catch (DirectoryNotFoundException)
        {
            PrivateDirectory.Create(System.IO.Path.GetDirectoryName(path)!);
            return TryAcquire(path, shared);
        }
        catch (IOException ex) when (Array.IndexOf(HeldElsewhereResults, ex.HResult) >= 0)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw AtomicFile.StorageFailure(path, ex);
        }
    }

    /// <summary>
    /// Until the returned scope is disposed, processes this one starts inherit the lock (Linux: the descriptor loses
    /// close-on-exec). A flock belongs to the open file description, so it then stays held while any such child keeps
    /// the descriptor, even after this process is killed. Null where that is not supported (the lock is then not lent).
    /// Every process started meanwhile inherits it, so keep the scope around one Process.Start.
    /// </summary>
    public IDisposable? LendToChildren()
    {
        if (!OperatingSystem.IsLinux() || _stream is not { } stream)
        {
            return null;
        }

        var fd = (int)stream.SafeFileHandle.DangerousGetHandle();
        if (Fcntl(fd, SetDescriptorFlags, 0) != 0)
        {
            throw AtomicFile.StorageFailure(stream.Name, new IOException($"fcntl(F_SETFD) failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}"));
        }

        return new CloseOnExec(fd);
    }

    /// <summary>
    /// Whether a lock file may be removed while held: a process that opened it before and locks it after the removal
    /// sees that and opens the new one (Linux: the descriptor's /proc link says "(deleted)"). Elsewhere lock files stay.
    /// </summary>
    public static bool NoticesRemovedFiles => OperatingSystem.IsLinux();

    public void Dispose()
    {
        Interlocked.Exchange(ref _stream, null)?.Dispose();
    }

    private static bool IsRemoved(FileStream stream)
    {
        if (!NoticesRemovedFiles)
        {
            return false;
        }

        var link = $"/proc/self/fd/{stream.SafeFileHandle.DangerousGetHandle()}";
        return new FileInfo(link).LinkTarget?.EndsWith(" (deleted)", StringComparison.Ordinal) == true;
    }

    private const int SetDescriptorFlags = 2; // F_SETFD
    private const int CloseOnExecFlag = 1; // FD_CLOEXEC

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    private sealed class CloseOnExec(int fd) : IDisposable
    {
        public void Dispose() => Fcntl(fd, SetDescriptorFlags, CloseOnExecFlag);
    }

    private static async ValueTask<FileMutex?> RetryAsync(string path, bool shared, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var backoff = new Backoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(25));
        while (true)
        {
            var remaining = timeout - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return null;
            }

            var delay = backoff.Next();
            await Task.Delay(delay < remaining ? delay : remaining, cancellationToken).ConfigureAwait(false);
            if (TryAcquire(path, shared) is { } held)
            {
                return held;
            }
        }
    }

    private static void ThrowIfFileLockingDisabled()
    {
        if (FileLockingDisabled)
        {
            throw new AiSwitchException(ErrorId.ConfigurationError,
                "File locking is disabled in this process (System.IO.DisableFileLocking / DOTNET_SYSTEM_IO_DISABLEFILELOCKING), so AiSwitch cannot lock its files safely. Unset it and start again.");
        }
    }

    /// <summary>Exponential back-off with jitter: each delay doubles up to a cap, then is drawn from its upper half.</summary>
    private struct Backoff
    {
        private readonly TimeSpan _max;
        private TimeSpan _current;

        public Backoff(TimeSpan first, TimeSpan max)
        {
            _current = first;
            _max = max;
        }

        public TimeSpan Next()
        {
            var ceiling = _current;
            _current = TimeSpan.FromTicks(Math.Min(_current.Ticks * 2, _max.Ticks));
            // Jitter spreads waiters that started together, so they do not retry in lock-step.
            return TimeSpan.FromTicks((ceiling.Ticks / 2) + Random.Shared.NextInt64((ceiling.Ticks / 2) + 1));
        }
    }
}
