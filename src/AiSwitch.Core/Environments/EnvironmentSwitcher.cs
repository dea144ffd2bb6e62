
namespace AiSwitch.Core.Environments;

/// <summary>
/// Turns a resolved variable map into a committed switch, and snapshots into restores. Knows nothing of presets:
/// <see cref="EnvironmentOperations"/> resolves them first, so every reference has resolved before anything changes.
/// </summary>
internal sealed class EnvironmentSwitcher(SnapshotStore snapshots, TimeProvider clock, EnvironmentLog log, SnapshotDisplay display)
{
    public SnapshotStore Snapshots => snapshots;

    public SnapshotDisplay Display => display;

    public SwitchResult Switch(ManagedEnvironment target, string preset, IReadOnlyDictionary<string, string> variables, bool snapshot, string action = "switch")
    {
        using var held = target.Lock();
        var before = target.ReadState();
        var removed = before.Managed.Where(name => !variables.ContainsKey(name)).Order(StringComparer.Ordinal).ToArray();
        var now = clock.GetUtcNow();
        var snapshotId = snapshot
            ? Save(target, before, before.Managed.Union(variables.Keys, StringComparer.Ordinal), null, $"Before switching to '{preset}'", now).SnapshotId
            : null;

        var changes = Changes(variables, removed);
        var set = variables.Keys.Order(StringComparer.Ordinal).ToArray();
        try
        {
            target.Commit(changes, new ManagedState(preset, set, now));
        }
        catch (CommitFailedException ex)
        {
            if (snapshotId is not null)
            {
                TryRemove(target.Target, snapshotId); // nothing changed, so the snapshot of "before" is not needed
            }

            throw new AiSwitchException(ErrorId.EnvironmentSwitchFailed,
                $"Switching '{target.Target}' to preset '{preset}' failed{Where(ex)} ({ex.InnerException?.GetType().Name}); {Undone(ex)} "
                + "Check the variable's name and size, and the home folder's free space and permissions, then try again.",
                target.Target, ex.InnerException);
        }

        log.Write(action, target.Target, preset, before.Preset, snapshotId, set, removed);
        return new SwitchResult
        {
            Agent = target.Target,
            PreviousPreset = before.Preset,
            CurrentPreset = preset,
            SnapshotId = snapshotId,
            SwitchedAt = now,
            VariablesSet = set,
            VariablesRemoved = removed,
        };
    }

    public EnvSnapshot Checkpoint(ManagedEnvironment target, string? snapshotId, string? description)
    {
        using var held = target.Lock();
        var state = target.ReadState();
        var record = Save(target, state, state.Managed, snapshotId, description, clock.GetUtcNow());
        log.Write("snapshot", target.Target, state.Preset, null, record.SnapshotId, record.Variables.Keys, []);
        return display.View(record);
    }

    public RollbackResult Restore(ManagedEnvironment target, string snapshotId, bool force)
    {
        using var held = target.Lock();
        var record = snapshots.Read(target.Target, EnvironmentNames.SnapshotId(snapshotId));
        var verified = record.ChecksumMatches();
        if (!verified && !force)
        {
            throw new AiSwitchException(ErrorId.SnapshotChecksumMismatch,
                $"Snapshot '{record.SnapshotId}' of '{target.Target}' does not match its checksum: '{snapshots.PathOf(target.Target, record.SnapshotId)}' "
                + "was changed after it was taken. Nothing was restored. Inspect the file, or restore it anyway with -Force (aiswitch env rollback … --force).",
                record.SnapshotId);
        }

        var before = target.ReadState();
        var covered = new HashSet<string>(record.Variables.Keys.Concat(record.Unset), StringComparer.Ordinal);
        var removed = before.Managed.Where(name => !covered.Contains(name))
            .Concat(record.Unset.Where(name => target.Get(name) is not null))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var changes = Changes(record.Variables, removed);
        var now = clock.GetUtcNow();
        try
        {
            target.Commit(changes, new ManagedState(record.PresetName, record.Managed, now));
        }
        catch (CommitFailedException ex)
        {
            throw new AiSwitchException(ErrorId.RollbackFailed,
                $"Restoring snapshot '{record.SnapshotId}' of '{target.Target}' failed{Where(ex)} ({ex.InnerException?.GetType().Name}); {Undone(ex)} "
                + "Check the home folder's free space and permissions, then try again.",
                record.SnapshotId, ex.InnerException);
        }

        log.Write("rollback", target.Target, record.PresetName, before.Preset, record.SnapshotId, record.Variables.Keys, removed);
        return new RollbackResult
        {
            SnapshotId = record.SnapshotId,
            Agent = target.Target,
            PreviousPreset = before.Preset,
            PresetName = record.PresetName,
            RolledBackAt = now,
            ChecksumVerified = verified,
            VariablesRestored = [.. record.Variables.Keys.Order(StringComparer.Ordinal)],
            VariablesRemoved = removed,
            Snapshot = display.View(record),
        };
    }

    private SnapshotRecord Save(ManagedEnvironment target, ManagedState state, IEnumerable<string> names, string? snapshotId, string? description, DateTimeOffset now)
    {
        if (snapshotId is not null && snapshots.Exists(target.Target, EnvironmentNames.SnapshotId(snapshotId)))
        {
            throw new AiSwitchException(ErrorId.SnapshotAlreadyExists,
                $"Snapshot '{snapshotId}' of '{target.Target}' already exists. Choose another id, leave it out for a timestamp id, "
                + $"or remove the old one with Remove-AiEnvironmentSnapshot -Agent {target.Target} -SnapshotId {snapshotId}.",
                snapshotId);
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var unset = new List<string>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (target.Get(name) is { } value)
            {
                variables[name] = value;
            }
            else
            {
                unset.Add(name);
            }
        }

        var record = new SnapshotRecord
        {
            SnapshotId = snapshotId ?? snapshots.NewId(target.Target, now),
            Agent = target.Target,
            Timestamp = now,
            PresetName = state.Preset,
            Description = description,
            Variables = variables,
            Unset = [.. unset.Order(StringComparer.Ordinal)],
            Managed = [.. state.Managed.Order(StringComparer.Ordinal)],
        }.WithChecksum();
        snapshots.Write(record);
        return record;
    }

    /// <summary>The commit's changes: the values to set, by name, then the names to unset (null).</summary>
    private static List<KeyValuePair<string, string?>> Changes(IReadOnlyDictionary<string, string> set, IEnumerable<string> removed)
        => [.. set.OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))
            .Concat(removed.Select(name => new KeyValuePair<string, string?>(name, null)))];

    private void TryRemove(string target, string snapshotId)
    {
        try
        {
            snapshots.Remove(target, snapshotId);
        }
        catch (AiSwitchException)
        {
            // The switch error is what matters; a leftover snapshot of the unchanged state is harmless.
        }
    }

    private static string Where(CommitFailedException ex) => ex.Variable is null ? string.Empty : $" at variable '{ex.Variable}'";

    private static string Undone(CommitFailedException ex) => ex.UndoFailure is null
        ? "nothing was changed."
        : $"undoing the partial change failed for {ex.UndoFailure}, which may be left changed.";
}
