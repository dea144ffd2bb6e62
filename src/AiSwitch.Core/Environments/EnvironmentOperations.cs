using AiSwitch.Core.Agents;
using AiSwitch.Core.Home;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Presets;

namespace AiSwitch.Core.Environments;

/// <summary>
/// Applying presets to targets — the session (this runspace or CLI process) or a named agent — with a snapshot
/// first, and snapshots, checksums and rollback. Both fronts call these methods and nothing else. Every object
/// returned carries names or redacted values only; the real values live in the target and in 0600 files.
/// </summary>
internal sealed class EnvironmentOperations
{
    private readonly AiSession _session;
    private readonly PresetStore _presets;
    private readonly IReferenceResolver _resolver;
    private readonly EnvironmentSwitcher _switcher;
    private readonly bool _durable;

    /// <param name="secretLookup">Reads <c>secret:</c> references (the PowerShell front passes SecretManagement); null where there is none.</param>
    /// <param name="durable">Flush state and snapshot files to disk before renaming them (off only for benchmarks that measure it).</param>
    public EnvironmentOperations(AiSession session, Func<string, string?>? secretLookup = null, bool durable = true)
    {
        _session = session;
        _durable = durable;
        _presets = new PresetStore(session.Home, session.Clock);
        _resolver = new ReferenceResolver(session.Environment, secretLookup);
        _switcher = new EnvironmentSwitcher(
            new SnapshotStore(session.Home, durable),
            session.Clock,
            new EnvironmentLog(session.Home, session.Clock),
            new SnapshotDisplay(ShownLiterals, (_, value) => PresetReference.Parse(value).IsReference ? value : Redaction.MaskValue(value)));
    }

    /// <summary>
    /// Switches <paramref name="target"/> (an agent name, or null / <c>session</c>) to <paramref name="preset"/> with
    /// <paramref name="overrides"/> laid over it. Every reference resolves before anything changes; a snapshot is taken
    /// (unless <paramref name="snapshot"/> is false); all variables are applied or none (EnvironmentSwitchFailed).
    /// The session gets the values; an agent's record keeps the values as written (references stay references, resolved
    /// again at each launch), so no value read from env:, file: or secret: lands in its record or its snapshots.
    /// </summary>
    public SwitchResult Switch(string? target, string preset, IReadOnlyDictionary<string, string>? overrides = null, bool snapshot = true)
    {
        var managed = Target(target);
        var definition = _presets.GetDefinition(preset);
        var resolved = PresetResolver.Resolve(definition, _resolver, overrides);
        var result = _switcher.Switch(managed, preset, managed is AgentManagedEnvironment ? PresetResolver.Raw(definition, overrides) : resolved, snapshot);
        // Names only: the values are the secrets this log must never hold.
        CoordinatorLog.For(_session).Write("env.switch", ("target", result.Agent), ("preset", result.CurrentPreset), ("previous_preset", result.PreviousPreset),
            ("snapshot_id", result.SnapshotId), ("variables_set", result.VariablesSet.Count), ("variables_removed", result.VariablesRemoved.Count));
        return result;
    }

    /// <summary>
    /// Use-AiPreset / <c>aiswitch apply</c>: switches the session to <paramref name="preset"/>, or, when it is null,
    /// to the project pin (<c>.aiswitch.yaml</c> at or above <paramref name="workingDirectory"/>) with its overrides.
    /// </summary>
    public SwitchResult Apply(string? preset, string workingDirectory, bool snapshot = true)
    {
        var (name, overrides) = PresetOrPin(preset, workingDirectory);
        return Switch(EnvironmentNames.Session, name, overrides, snapshot);
    }

    /// <summary>
    /// <c>aiswitch apply --shell</c>: applies like <see cref="Apply"/> to this process's session and returns the lines a
    /// shell evaluates to make the same change. The script holds REAL values (that is what eval needs); it is never logged.
    /// </summary>
    public (SwitchResult Result, string Script) ApplyForShell(string? preset, string workingDirectory, ShellKind shell, bool snapshot = true)
    {
        var result = Apply(preset, workingDirectory, snapshot);
        return (result, SessionScript(shell, result.VariablesSet, result.VariablesRemoved));
    }

    /// <summary>
    /// <c>aiswitch env rollback session ID --shell</c>: restores a session snapshot in this process and returns the lines
    /// that make the same change in a shell (REAL values, for eval, like <see cref="ApplyForShell"/>).
    /// </summary>
    public (RollbackResult Result, string Script) RestoreForShell(string snapshotId, ShellKind shell, bool force = false)
    {
        var result = Restore(EnvironmentNames.Session, snapshotId, force);
        return (result, SessionScript(shell, result.VariablesRestored, result.VariablesRemoved));
    }

    /// <summary>
    /// <c>aiswitch exec</c>: runs <paramref name="command"/> with the preset (or the project pin) applied to a copy of
    /// this session's environment, stdio inherited, and returns its exit code. The session itself is not changed.
    /// </summary>
    public async Task<int> ExecAsync(string? preset, string workingDirectory, string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var (name, overrides) = PresetOrPin(preset, workingDirectory);
        var child = new InMemoryEnvironment(_session.Environment.GetAll());
        _switcher.Switch(new SessionManagedEnvironment(child, new object()), name, Resolve(name, overrides), snapshot: false, action: "exec");
        return await CommandRunner.RunAsync(command, arguments, child.GetAll(), workingDirectory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Saves the target's current environment as a snapshot (a timestamp id unless one is given).</summary>
    public EnvSnapshot Checkpoint(string? target, string? snapshotId = null, string? description = null)
        => _switcher.Checkpoint(Target(target), snapshotId is null ? null : EnvironmentNames.SnapshotId(snapshotId), description);

    /// <summary>
    /// Puts a snapshot back. Its checksum is verified first: a mismatch is SnapshotChecksumMismatch (-41207) and changes
    /// nothing, unless <paramref name="force"/>.
    /// </summary>
    public RollbackResult Restore(string? target, string snapshotId, bool force = false)
    {
        var result = _switcher.Restore(Target(target), snapshotId, force);
        CoordinatorLog.For(_session).Write("env.rollback", ("target", result.Agent), ("snapshot_id", result.SnapshotId), ("preset", result.PresetName),
            ("previous_preset", result.PreviousPreset), ("checksum_verified", result.ChecksumVerified), ("variables_restored", result.VariablesRestored.Count));
        return result;
    }

    /// <summary>
    /// Snapshots of one target (null: every target), oldest first; <paramref name="snapshotId"/> may hold wildcards.
    /// An exact id that matches nothing is SnapshotNotFound.
    /// </summary>
    public IReadOnlyList<EnvSnapshot> ListSnapshots(string? target = null, string? snapshotId = null)
    {
        var targets = target is null ? _switcher.Snapshots.Targets() : [EnvironmentNames.Target(target)];
        var pattern = snapshotId is null ? null : new NamePattern(snapshotId);
        var found = targets
            .SelectMany(t => _switcher.Snapshots.Ids(t).Where(id => pattern?.IsMatch(id) ?? true).Select(id => _switcher.Snapshots.Read(t, id)))
            .OrderBy(r => r.Timestamp).ThenBy(r => r.Agent, StringComparer.Ordinal).ThenBy(r => r.SnapshotId, StringComparer.Ordinal)
            .Select(_switcher.Display.View)
            .ToList();
        if (found.Count == 0 && snapshotId is not null && !NamePattern.HasWildcards(snapshotId))
        {
            throw _switcher.Snapshots.NotFound(target is null ? null : EnvironmentNames.Target(target), EnvironmentNames.SnapshotId(snapshotId));
        }

        return found;
    }

    public EnvSnapshot GetSnapshot(string? target, string snapshotId)
        => _switcher.Display.View(_switcher.Snapshots.Read(EnvironmentNames.Target(target), EnvironmentNames.SnapshotId(snapshotId)));

    public void RemoveSnapshot(string? target, string snapshotId)
        => _switcher.Snapshots.Remove(EnvironmentNames.Target(target), EnvironmentNames.SnapshotId(snapshotId));

    /// <summary>The preset each target has applied: the session first, then every agent with an environment record.</summary>
    public IReadOnlyList<EnvironmentStatus> Current()
        => [.. new[] { EnvironmentNames.Session }.Concat(AgentNames()).Select(name => Status(Target(name)))];

    /// <summary>Agents that have an environment record, sorted (for tab completion and <c>aiswitch current</c>).</summary>
    public IReadOnlyList<string> AgentNames()
    {
        var folder = AgentManagedEnvironment.Directory(_session.Home);
        return Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>()
                .Where(name => EnvironmentNames.IsSafe(name) && !EnvironmentNames.IsSession(name)).Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>Snapshot ids of one target, or of all targets (for tab completion).</summary>
    public IReadOnlyList<string> SnapshotIds(string? target = null)
        => target is null
            ? [.. _switcher.Snapshots.Targets().SelectMany(_switcher.Snapshots.Ids).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]
            : EnvironmentNames.IsSafe(target) ? _switcher.Snapshots.Ids(EnvironmentNames.Target(target)) : [];

    /// <summary>
    /// The variables to set in an agent's process when it is launched, with their REAL values (the record's references
    /// resolved now). For the agent launcher only: never show or log what this returns. Empty when the agent has no record.
    /// </summary>
    public IReadOnlyDictionary<string, string> LaunchVariables(string agent)
    {
        var name = EnvironmentNames.Target(agent);
        if (EnvironmentNames.IsSession(name))
        {
            throw new AiSwitchException(ErrorId.EnvironmentValidationFailed, $"'{name}' is this session, not an agent. Pass an agent name.", name);
        }

        return AgentManagedEnvironment.File(_session.Home, name).Read() is { } record
            ? PresetResolver.ResolveAll(record.Preset ?? name, record.Variables, _resolver)
            : new Dictionary<string, string>();
    }

    private string SessionScript(ShellKind shell, IEnumerable<string> set, IEnumerable<string> removed)
    {
        var environment = _session.Environment;
        var lines = set.Concat(removed).Append(SessionManagedEnvironment.PresetMarker).Append(SessionManagedEnvironment.ManagedMarker)
            .Select(name => new KeyValuePair<string, string?>(name, environment.Get(name)));
        return ShellScript.Render(shell, lines);
    }

    private EnvironmentStatus Status(ManagedEnvironment target)
    {
        var state = target.ReadState();
        return new EnvironmentStatus
        {
            Agent = target.Target,
            Preset = state.Preset,
            VariableCount = state.Managed.Count,
            SwitchedAt = state.SwitchedAt,
            VariableNames = [.. state.Managed],
        };
    }

    private ManagedEnvironment Target(string? target)
    {
        var name = EnvironmentNames.Target(target);
        return EnvironmentNames.IsSession(name)
            // The gate is the environment itself: every runspace of a pwsh process shares the one process environment.
            ? new SessionManagedEnvironment(_session.Environment, _session.Environment)
            : new AgentManagedEnvironment(_session.Home, name, _durable, () => DefinitionBaseline(name));
    }

    /// <summary>
    /// An agent without a record runs with its definition's preset (AgentEnvironmentBuilder), so that is its state before
    /// a first switch: the preset's values as written, references unresolved, so its snapshot holds no secret.
    /// </summary>
    private AgentEnvironmentRecord? DefinitionBaseline(string agent)
    {
        try
        {
            return new AgentDefinitionStore(_session.Home).Get(agent).Preset is { } preset
                ? new AgentEnvironmentRecord { Agent = agent, Preset = preset, Variables = new Dictionary<string, string>(PresetResolver.Raw(_presets.GetDefinition(preset)), StringComparer.Ordinal) }
                : null;
        }
        catch (AiSwitchException)
        {
            // An agent known only by its environment record, a preset since removed, or an agents.yaml this process cannot
            // read: there is no definition to go back to, and the switch itself must not fail for it (a launch reports it).
            return null;
        }
    }

    private IReadOnlyDictionary<string, string> Resolve(string preset, IReadOnlyDictionary<string, string>? overrides)
        => PresetResolver.Resolve(_presets.GetDefinition(preset), _resolver, overrides);

    private (string Preset, IReadOnlyDictionary<string, string>? Overrides) PresetOrPin(string? preset, string workingDirectory)
    {
        if (!string.IsNullOrEmpty(preset))
        {
            return (preset, null);
        }

        var pin = ProjectPin.Find(workingDirectory)
            ?? throw new AiSwitchException(ErrorId.NoProjectPin,
                $"No preset was named and no {ProjectPin.FileName} was found in '{workingDirectory}' or above. "
                + $"Name a preset (Use-AiPreset -Name NAME, aiswitch apply NAME), or pin one with a {ProjectPin.FileName} file holding 'preset: NAME'.",
                workingDirectory);
        new ProjectPinTrust(_session.Home, _session.Clock).Demand(pin);
        return (pin.Preset, pin.Overrides);
    }

    // A snapshot shows a value only when it is a literal its preset shows as it is; a missing preset shows nothing.
    private IReadOnlyDictionary<string, string>? ShownLiterals(string preset)
    {
        PresetDefinition definition;
        try
        {
            definition = _presets.GetDefinition(preset);
        }
        catch (AiSwitchException)
        {
            return null;
        }

        return definition.Variables
            .Where(v => !PresetReference.Parse(v.Value).IsReference && Redaction.Redact(v.Key, v.Value) == v.Value)
            .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
    }
}
