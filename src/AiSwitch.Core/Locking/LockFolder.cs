using System.Text.Json;
using AiSwitch.Core.Home;

namespace AiSwitch.Core.Locking;

/// <summary>
/// The layout of <c>locks/</c>: <c>NAME.lock</c> (the file the OS lock is taken on) and <c>NAME.owners/ID.json</c>
/// (one owner record per holder). A lock file is deleted only by <see cref="RemoveIfUnused"/>, while holding it, and
/// only where a waiter that had the old file open notices and moves to the new one (<see cref="FileMutex"/>); else that
/// waiter and a newcomer (on a fresh file) could both "hold" the lock.
/// </summary>
internal sealed class LockFolder
{
    private const string LockSuffix = ".lock";
    private const string OwnersSuffix = ".owners";
    private const string RecordSuffix = ".json";

    public LockFolder(AiHome home) => Root = home.LocksDir;

    public string Root { get; }

    public string LockFile(string name) => Path.Combine(Root, name + LockSuffix);

    public string OwnersDir(string name) => Path.Combine(Root, name + OwnersSuffix);

    public string RecordPath(string name, string lockId) => Path.Combine(OwnersDir(name), lockId + RecordSuffix);

    /// <summary>Every valid lock name that has a lock file or owner records, in order.</summary>
    public IReadOnlyList<string> Names()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entry in Directory.EnumerateFileSystemEntries(Root))
        {
            var file = Path.GetFileName(entry);
            var name = file.EndsWith(LockSuffix, StringComparison.Ordinal) ? file[..^LockSuffix.Length]
                : file.EndsWith(OwnersSuffix, StringComparison.Ordinal) ? file[..^OwnersSuffix.Length]
                : null;
            if (LockName.IsValid(name))
            {
                names.Add(name!);
            }
        }

        return [.. names];
    }

    public string Write(LockOwnerRecord record)
    {
        var path = RecordPath(record.Name, record.LockId);
        // Not flushed to disk: a record only matters while its process lives, and a power cut ends them all.
        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(record, LockJsonContext.Default.LockOwnerRecord), durable: false);
        return path;
    }

    /// <summary>The owner records of a lock; a record that cannot be read comes back with a null Record.</summary>
    public IReadOnlyList<StoredRecord> Read(string name)
    {
        var directory = OwnersDir(name);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var records = new List<StoredRecord>();
        foreach (var path in Directory.EnumerateFiles(directory, "*" + RecordSuffix))
        {
            if (AtomicFile.ReadOrNull(path) is not { } bytes)
            {
                continue; // released since we listed the folder
            }

            records.Add(new StoredRecord(Path.GetFileNameWithoutExtension(path), path, Parse(bytes, name), File.GetLastWriteTimeUtc(path)));
        }

        return records;
    }

    /// <summary>Removes a record; false when it was already gone.</summary>
    public static bool Delete(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        Remove(path);
        return true;
    }

    /// <summary>Removes a record if it is there (the release path: one unlink, no stat).</summary>
    public static void Remove(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Its folder is gone too: nothing to remove.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw AtomicFile.StorageFailure(path, ex);
        }
    }

    /// <summary>
    /// Removes half-written temporaries and the owners folder once it is empty. Only while holding the lock
    /// exclusively: then nobody can be writing a record into the folder.
    /// </summary>
    public void Tidy(string name)
    {
        using var exclusive = FileMutex.TryAcquire(LockFile(name));
        if (exclusive is not null)
        {
            Tidy(name, exclusive);
        }
    }

    private void Tidy(string name, FileMutex exclusive)
    {
        _ = exclusive; // proof that the caller holds the lock
        var directory = OwnersDir(name);
        if (!Directory.Exists(directory))
        {
            return;
        }

        AtomicFile.CleanAbandonedTemporaries(directory, TimeSpan.Zero);
        try
        {
            if (!Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }
        }
        catch (IOException)
        {
            // Something appeared in it meanwhile; it stays.
        }
    }

    /// <summary>
    /// Removes a lock's files (its lock file and owners folder) when nobody holds or waits to record it: only while
    /// holding it exclusively, and only where a waiter that opened the old file can tell it was removed
    /// (<see cref="FileMutex"/> checks on Linux) — elsewhere the lock file stays and only the empty folder goes.
    /// </summary>
    public bool RemoveIfUnused(string name)
    {
        using var exclusive = FileMutex.TryAcquire(LockFile(name));
        if (exclusive is null || Read(name).Count > 0)
        {
            return false;
        }

        Tidy(name, exclusive);
        if (!FileMutex.NoticesRemovedFiles || Directory.Exists(OwnersDir(name)))
        {
            return false;
        }

        File.Delete(LockFile(name));
        return true;
    }

    private static LockOwnerRecord? Parse(byte[] bytes, string name)
    {
        try
        {
            var record = JsonSerializer.Deserialize(bytes, LockJsonContext.Default.LockOwnerRecord);
            return record is { SchemaVersion: <= LockOwnerRecord.CurrentSchemaVersion } && record.Name == name ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>One owner record file: its lock id (the file name), its path, and its content when readable.</summary>
internal sealed record StoredRecord(string LockId, string Path, LockOwnerRecord? Record, DateTime WrittenAtUtc);
