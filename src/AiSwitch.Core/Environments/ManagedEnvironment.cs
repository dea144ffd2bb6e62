using AiSwitch.Core.Home;

namespace AiSwitch.Core.Environments;

/// <summary>What a target has applied: the preset and the names it set (so the next switch knows what to remove).</summary>
internal sealed record ManagedState(string? Preset, IReadOnlyList<string> Managed, DateTimeOffset? SwitchedAt);

/// <summary>
/// One switchable environment: the session's (variables live in an <see cref="IProcessEnvironment"/>) or an
/// agent's (a record file). A change is committed whole or not at all.
/// </summary>
internal abstract class ManagedEnvironment
{
    public abstract string Target { get; }

    /// <summary>Serialises switches and restores of this target (in-process for the session, across processes for an agent).</summary>
    public abstract IDisposable Lock();

    public abstract ManagedState ReadState();

    public abstract string? Get(string name);

    /// <summary>
    /// Applies <paramref name="changes"/> (null value = remove) and records <paramref name="next"/>; on failure
    /// leaves everything as it was and throws <see cref="CommitFailedException"/>.
    /// </summary>
    public abstract void Commit(IReadOnlyList<KeyValuePair<string, string?>> changes, ManagedState next);
}

/// <summary>A commit that failed and was undone; names the variable, never its value.</summary>
internal sealed class CommitFailedException(string? variable, Exception inner, string? undoFailure = null) : Exception(inner.Message, inner)
{
    public string? Variable { get; } = variable;

    /// <summary>Set when undoing the partial change failed too (the names left changed).</summary>
    public string? UndoFailure { get; } = undoFailure;
}

/// <summary>
/// The session's environment. What it has applied is kept in the environment itself, in
/// <c>AISWITCH_PRESET</c> and <c>AISWITCH_MANAGED_VARIABLES</c> (names only), so a child process, and a
/// shell that ran <c>eval "$(aiswitch apply …)"</c>, know it too.
/// </summary>
internal sealed class SessionManagedEnvironment(IProcessEnvironment environment, object gate) : ManagedEnvironment
{
    public const string PresetMarker = "AISWITCH_PRESET";
    public const string ManagedMarker = "AISWITCH_MANAGED_VARIABLES";

    public override string Target => EnvironmentNames.Session;

    /// <summary>The preset applied to <paramref name="environment"/> and the values of the variables it set, or null when none was.</summary>
    public static (string Preset, IReadOnlyDictionary<string, string> Variables)? Applied(IProcessEnvironment environment)
    {
        var state = new SessionManagedEnvironment(environment, new object()).ReadState();
        if (state.Preset is not { } preset)
        {
            return null;
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in state.Managed)
        {
            if (environment.Get(name) is { } value)
            {
                variables[name] = value;
            }
        }

        return (preset, variables);
    }

    public override IDisposable Lock() => new MonitorLock(gate);

    public override ManagedState ReadState()
    {
        var preset = environment.Get(PresetMarker);
        var managed = environment.Get(ManagedMarker) is { Length: > 0 } names
            ? names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        return new ManagedState(string.IsNullOrEmpty(preset) ? null : preset, managed, null);
    }

    public override string? Get(string name) => environment.Get(name);

    public override void Commit(IReadOnlyList<KeyValuePair<string, string?>> changes, ManagedState next)
    {
        var all = new List<KeyValuePair<string, string?>>(changes)
        {
            new(PresetMarker, next.Preset),
            new(ManagedMarker, next.Managed.Count == 0 ? null : string.Join(',', next.Managed.Order(StringComparer.Ordinal))),
        };
        var undo = new Stack<KeyValuePair<string, string?>>();
        string? current = null;
        try
        {
            foreach (var (name, value) in all)
            {
                current = name;
                var before = environment.Get(name);
                environment.Set(name, value);
                undo.Push(new(name, before));
            }
        }
        catch (Exception ex)
        {
            throw new CommitFailedException(current, ex, Undo(undo));
        }
    }

    private string? Undo(Stack<KeyValuePair<string, string?>> undo)
    {
        var failed = new List<string>();
        while (undo.TryPop(out var entry))
        {
            try
            {
                environment.Set(entry.Key, entry.Value);
            }
            catch (Exception)
            {
                failed.Add(entry.Key);
            }
        }

        return failed.Count == 0 ? null : string.Join(", ", failed);
    }

    private sealed class MonitorLock : IDisposable
    {
        private readonly object _gate;

        public MonitorLock(object gate)
        {
            _gate = gate;
            Monitor.Enter(_gate);
        }

        public void Dispose() => Monitor.Exit(_gate);
    }
}

/// <summary>
/// A named agent's environment: the record under <c>state/environments/&lt;agent&gt;.json</c>, written
/// atomically, so a commit is one rename and a failure changes nothing.
/// </summary>
internal sealed class AgentManagedEnvironment : ManagedEnvironment
{
    private readonly JsonStateFile<AgentEnvironmentRecord> _file;
    private readonly string _lockPath;
    private readonly bool _durable;
    private readonly Func<AgentEnvironmentRecord?>? _baseline;
    private AgentEnvironmentRecord? _record;

    /// <param name="baseline">
    /// What the agent runs with before its first switch (its definition's preset, values as written), so that switch's
    /// snapshot holds it and a rollback gives it back; null when the agent has none.
    /// </param>
    public AgentManagedEnvironment(AiHome home, string agent, bool durable, Func<AgentEnvironmentRecord?>? baseline = null)
    {
        Target = agent;
        _durable = durable;
        _baseline = baseline;
        _file = File(home, agent);
        _lockPath = _file.Path + ".switch.lock";
    }

    public override string Target { get; }

    public static string Directory(AiHome home) => Path.Combine(home.StateDir, "environments");

    public static JsonStateFile<AgentEnvironmentRecord> File(AiHome home, string agent)
        => new(Path.Combine(Directory(home), agent + ".json"), EnvironmentJsonContext.Default.AgentEnvironmentRecord);

    public override IDisposable Lock() => FileMutex.Acquire(_lockPath);

    public override ManagedState ReadState()
    {
        _record = Read();
        return _record is null
            ? new ManagedState(null, [], null)
            : new ManagedState(_record.Preset, [.. _record.Variables.Keys.Order(StringComparer.Ordinal)], _record.SwitchedAt);
    }

    public override string? Get(string name) => (_record ??= Read())?.Variables.GetValueOrDefault(name);

    public override void Commit(IReadOnlyList<KeyValuePair<string, string?>> changes, ManagedState next)
    {
        var variables = new Dictionary<string, string>((_record ??= Read())?.Variables ?? [], StringComparer.Ordinal);
        foreach (var (name, value) in changes)
        {
            if (value is null)
            {
                variables.Remove(name);
            }
            else
            {
                variables[name] = value;
            }
        }

        var record = new AgentEnvironmentRecord { Agent = Target, Preset = next.Preset, Variables = variables, SwitchedAt = next.SwitchedAt };
        try
        {
            _file.Write(record, _durable);
            _record = record;
        }
        catch (AiSwitchException ex)
        {
            throw new CommitFailedException(null, ex);
        }
    }

    private AgentEnvironmentRecord? Read() => _file.Read() ?? _baseline?.Invoke();
}
