using AiSwitch.Core.Home;

namespace AiSwitch.Core.Environments;

/// <summary>Snapshot files: <c>state/snapshots/&lt;target&gt;/&lt;id&gt;.json</c>, 0600, written atomically.</summary>
internal sealed class SnapshotStore(AiHome home, bool durable)
{
    private const string Extension = ".json";

    public string Root => Path.Combine(home.StateDir, "snapshots");

    public string PathOf(string target, string snapshotId) => Path.Combine(Root, target, snapshotId + Extension);

    public bool Exists(string target, string snapshotId) => System.IO.File.Exists(PathOf(target, snapshotId));

    public void Write(SnapshotRecord record)
        => File(record.Agent, record.SnapshotId).Write(record, durable);

    /// <summary>The stored record; a missing one is <see cref="ErrorId.SnapshotNotFound"/> naming the known ids.</summary>
    public SnapshotRecord Read(string target, string snapshotId)
        => File(target, snapshotId).Read() ?? throw NotFound(target, snapshotId);

    public void Remove(string target, string snapshotId)
    {
        var path = PathOf(target, snapshotId);
        if (!System.IO.File.Exists(path))
        {
            throw NotFound(target, snapshotId);
        }

        try
        {
            System.IO.File.Delete(path);
            System.IO.File.Delete(path + ".bak");
            System.IO.File.Delete(path + ".lock");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw AtomicFile.StorageFailure(path, ex);
        }
    }

    /// <summary>Targets that have snapshots, sorted.</summary>
    public IReadOnlyList<string> Targets()
        => System.IO.Directory.Exists(Root)
            ? [.. System.IO.Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>().Where(EnvironmentNames.IsSafe).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>Snapshot ids of one target, sorted (default ids sort by time).</summary>
    public IReadOnlyList<string> Ids(string target)
    {
        var folder = Path.Combine(Root, target);
        return System.IO.Directory.Exists(folder)
            ? [.. System.IO.Directory.EnumerateFiles(folder, "*" + Extension)
                .Select(Path.GetFileNameWithoutExtension).OfType<string>()
                .Where(EnvironmentNames.IsSafe).Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>A default id for a snapshot taken at <paramref name="moment"/>, unique within the target.</summary>
    public string NewId(string target, DateTimeOffset moment)
    {
        var id = EnvironmentNames.TimestampId(moment);
        for (var n = 1; Exists(target, id); n++)
        {
            id = $"{EnvironmentNames.TimestampId(moment)}-{n}";
        }

        return id;
    }

    private JsonStateFile<SnapshotRecord> File(string target, string snapshotId)
        => new(PathOf(target, snapshotId), EnvironmentJsonContext.Default.SnapshotRecord);

    /// <summary>SnapshotNotFound naming the latest known ids of <paramref name="target"/> (null: of any target).</summary>
    public AiSwitchException NotFound(string? target, string snapshotId)
    {
        var known = target is null ? [.. Targets().SelectMany(Ids).Order(StringComparer.Ordinal)] : Ids(target);
        var list = known.Count == 0 ? "there are none" : "latest: " + string.Join(", ", known.TakeLast(10));
        var of = target is null ? "of any target" : $"of '{target}'";
        return new AiSwitchException(ErrorId.SnapshotNotFound,
            $"Snapshot '{snapshotId}' {of} not found ({list}). List them with Get-AiEnvironmentSnapshot (aiswitch env list).",
            snapshotId);
    }
}
