
namespace AiSwitch.Core.Home;

/// <summary>
/// Whole-file writes that a crash cannot tear: the content goes to a temporary file in the same folder,
/// is flushed to disk, and is renamed over the target. A reader sees the old content or the new, never a mix.
/// </summary>
internal static class AtomicFile
{
    private const string TempSuffix = ".tmp";

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically (0600 on Unix).</summary>
    /// <param name="durable">Flush to the disk before the rename, so a power cut keeps the old or the new content.</param>
    public static void Write(string path, ReadOnlySpan<byte> content, bool durable = true)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        PrivateDirectory.Create(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            using (var stream = new FileStream(temp, NewFileOptions()))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: durable);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw StorageFailure(path, ex);
        }
    }

    /// <summary>Reads a whole file, or null when it does not exist.</summary>
    public static byte[]? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw StorageFailure(path, ex);
        }
    }

    /// <summary>Removes temporary files left in <paramref name="directory"/> by processes that died mid-write.</summary>
    public static int CleanAbandonedTemporaries(string directory, TimeSpan olderThan)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var removed = 0;
        var cutoff = DateTime.UtcNow - olderThan;
        foreach (var file in Directory.EnumerateFiles(directory, "." + "*" + TempSuffix))
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff && TryDelete(file))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>
    /// The temporary files under <paramref name="root"/> (and its subfolders) that a writer left when it was killed
    /// mid-write: their names carry the writer's pid, and a file is only taken when that process is gone and the file is
    /// older than <paramref name="olderThan"/>, so a live writer's file is never touched.
    /// </summary>
    public static IReadOnlyList<string> AbandonedTemporaries(string root, TimeSpan olderThan)
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        var cutoff = DateTime.UtcNow - olderThan;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        return [.. Directory.EnumerateFiles(root, "." + "*" + TempSuffix, options)
            .Where(file => WriterPid(Path.GetFileName(file)) is { } pid
                && Locking.ProcessIdentity.StartToken(pid) is null
                && File.GetLastWriteTimeUtc(file) < cutoff)];
    }

    /// <summary>Deletes a file if it is there; false when it could not be.</summary>
    public static bool TryRemove(string path) => TryDelete(path);

    // ".NAME.PID.GUID.tmp", as Write names them.
    private static int? WriterPid(string fileName)
    {
        var parts = fileName[..^TempSuffix.Length].Split('.');
        return parts.Length >= 4 && parts[^1].Length == 32
            && int.TryParse(parts[^2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
            && pid > 0 ? pid : null;
    }

    internal static FileStreamOptions NewFileOptions()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateDirectory.FileMode;
        }

        return options;
    }

    /// <summary>Maps an I/O failure to a clear error: disk full and permission problems name the file and the fix.</summary>
    public static AiSwitchException StorageFailure(string path, Exception ex)
    {
        if (ex is UnauthorizedAccessException)
        {
            return new AiSwitchException(ErrorId.PermissionDenied,
                $"Cannot write '{path}': permission denied. Make the folder writable by you, or set {AiHome.HomeVariable} to a folder you own.",
                path, ex);
        }

        if (IsDiskFull(ex))
        {
            // Seed 003's -40401: the machine lacks what the write needs (space), which freeing it fixes.
            return new AiSwitchException(ErrorId.InsufficientResources,
                $"Cannot write '{path}': the disk is full. Nothing was changed; free some space and try again.", path, ex);
        }

        return new AiSwitchException(ErrorId.StorageError, $"Cannot write '{path}': {ex.Message}", path, ex);
    }

    private static bool IsDiskFull(Exception ex)
    {
        const int ENOSPC = 28;                 // Unix
        const int ERROR_DISK_FULL = 0x70;      // Windows
        const int ERROR_HANDLE_DISK_FULL = 0x27;
        var code = ex.HResult & 0xFFFF;
        return code is ENOSPC or ERROR_DISK_FULL or ERROR_HANDLE_DISK_FULL
            || ex.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase);
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
