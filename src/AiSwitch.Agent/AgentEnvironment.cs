using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace AiSwitch.Agent;

/// <summary>
/// One consistent state of an agent's environment: the preset it came from and every variable. Immutable, so a task
/// that took it at its start keeps seeing exactly it while switches happen around it.
/// </summary>
public sealed class EnvironmentView
{
    public static readonly EnvironmentView Empty = new(string.Empty, ImmutableSortedDictionary<string, string>.Empty);

    public EnvironmentView(string preset, ImmutableSortedDictionary<string, string> variables)
    {
        Preset = preset;
        Variables = variables;
    }

    /// <summary>The preset last switched to; empty before the first switch.</summary>
    public string Preset { get; }

    public ImmutableSortedDictionary<string, string> Variables { get; }

    public string? this[string name] => Variables.GetValueOrDefault(name);

    /// <summary>SHA-256 (lower-case hex) over the preset and the variables in ordinal order, so equal environments have equal checksums.</summary>
    public string Checksum()
    {
        var text = new StringBuilder().Append(Preset).Append('\n');
        foreach (var (name, value) in Variables)
        {
            text.Append(name).Append('=').Append(value).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
    }
}

/// <summary>A saved <see cref="EnvironmentView"/>, as env.snapshot made it.</summary>
internal sealed record SavedEnvironment(string SnapshotId, DateTimeOffset Timestamp, string Description, EnvironmentView View, string Checksum);

/// <summary>
/// The agent's environment map and its snapshots. The current view is replaced in one reference swap, so a switch is
/// all-or-nothing and a task that captured <see cref="Current"/> at its start never sees a later switch. The map holds
/// what the coordinator manages (a preset's variables), not the process's own environment.
/// Snapshots live as long as the agent process; the coordinator keeps its own durable copies.
/// </summary>
internal sealed class AgentEnvironment
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SavedEnvironment> _snapshots = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly EnvironmentView _initial;
    private EnvironmentView _current;

    public AgentEnvironment(EnvironmentView? initial = null, TimeProvider? clock = null)
    {
        _initial = initial ?? EnvironmentView.Empty;
        _current = _initial;
        _clock = clock ?? TimeProvider.System;
    }

    public EnvironmentView Current => Volatile.Read(ref _current);

    /// <summary>
    /// Makes <paramref name="next"/> the environment new tasks start with. Callers serialize switches (the host holds one
    /// gate around the hook and this call); a reference swap makes the change all-or-nothing for readers.
    /// </summary>
    public void Replace(EnvironmentView next) => Volatile.Write(ref _current, next);

    /// <summary>Back to the environment the agent started with, with no snapshots (agent.restart without preserve_state).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _snapshots.Clear();
        }

        Replace(_initial);
    }

    public SavedEnvironment Snapshot(string? snapshotId, string? description)
    {
        var view = Current;
        var id = string.IsNullOrEmpty(snapshotId) ? $"snap-{Guid.NewGuid():N}"[..17] : snapshotId;
        var saved = new SavedEnvironment(id, _clock.GetUtcNow(), description ?? string.Empty, view, view.Checksum());
        lock (_gate)
        {
            if (!_snapshots.TryAdd(id, saved))
            {
                throw new AiSwitchException(ErrorId.SnapshotAlreadyExists, $"Snapshot '{id}' already exists in this agent. Choose another snapshot id or leave it out to get a new one.", id);
            }
        }

        return saved;
    }

    public SavedEnvironment GetSnapshot(string snapshotId)
    {
        lock (_gate)
        {
            if (_snapshots.TryGetValue(snapshotId, out var saved))
            {
                return saved;
            }

            var known = _snapshots.Count == 0 ? "none" : string.Join(", ", _snapshots.Keys.Order(StringComparer.Ordinal));
            throw new AiSwitchException(ErrorId.SnapshotNotFound, $"Snapshot '{snapshotId}' not found in this agent. Known snapshots: {known}. List them with env.list_snapshots.", snapshotId);
        }
    }

    public IReadOnlyList<SavedEnvironment> Snapshots()
    {
        lock (_gate)
        {
            return _snapshots.Values.OrderBy(s => s.Timestamp).ThenBy(s => s.SnapshotId, StringComparer.Ordinal).ToList();
        }
    }
}
