using AiSwitch.Core.Errors;

namespace AiSwitch.Core.Home;

/// <summary>
/// An exclusive, cross-process mutex on a lock file: an OS file lock (flock on Unix, a share-none open on
/// Windows) that the kernel drops when its holder dies, so a killed process never leaves it held.
/// This is the primitive under state-file updates; named resource locks with owners live in Locking.
/// </summary>
public sealed class FileMutex : IDisposable
{
    private FileStream? _stream;

    private FileMutex(FileStream stream) => _stream = stream;

    public static FileMutex Acquire(string path, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var delay = TimeSpan.FromMilliseconds(1);
        while (true)
        {
            if (TryAcquire(path) is { } held)
            {
                return held;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new AiSwitchException(ErrorId.LockTimeout,
                    $"Timed out waiting for '{path}', held by another AiSwitch process. Try again, or find the process with Get-AiLock.",
                    path);
            }

            cancellationToken.ThrowIfCancellationRequested();
            Thread.Sleep(delay + TimeSpan.FromTicks(Random.Shared.Next((int)delay.Ticks + 1)));
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(20).Ticks));
        }
    }

    public static FileMutex? TryAcquire(string path)
    {
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = PrivateDirectory.FileMode;
            }

            return new FileMutex(new FileStream(path, options));
        }
        catch (IOException) when (File.Exists(path))
        {
            return null; // held by someone else
        }
        catch (DirectoryNotFoundException)
        {
            PrivateDirectory.Create(System.IO.Path.GetDirectoryName(path)!);
            return TryAcquire(path);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw AtomicFile.StorageFailure(path, ex);
        }
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _stream, null)?.Dispose();
    }
}
