using System.Collections.Immutable;
using AiSwitch.Protocol;

namespace AiSwitch.Agent;

/// <content>
/// env.switch, env.snapshot, env.rollback and env.list_snapshots. Switches and rollbacks run one at a time; each builds
/// the new environment whole, asks the agent's hook, and only then makes it current for tasks that start afterwards.
/// </content>
internal sealed partial class AgentRuntime
{
    private readonly SemaphoreSlim _switchGate = new(1, 1);

    private void RegisterEnvironment()
    {
        Serve(ProtocolMethods.EnvSwitch, static j => j.SwitchEnvParams, static j => j.SwitchEnvResult, SwitchAsync);
        Serve(ProtocolMethods.EnvSnapshot, static j => j.CreateSnapshotParams, static j => j.AgentEnvSnapshot, (parameters, _) =>
            ValueTask.FromResult(ToWire(_environment.Snapshot(parameters.SnapshotId, parameters.Description))));
        Serve(ProtocolMethods.EnvRollback, static j => j.RollbackParams, static j => j.AgentRollbackResult, RollbackAsync);
        Serve(ProtocolMethods.EnvListSnapshots, static j => j.EmptyParams, static j => j.ListSnapshotsResult, (_, _) =>
        {
            var snapshots = _environment.Snapshots().Select(ToWire).ToList();
            return ValueTask.FromResult(new ListSnapshotsResult { Snapshots = snapshots, TotalCount = snapshots.Count });
        });
    }

    /// <summary>
    /// The agent's environment becomes exactly the preset's variables as sent (the coordinator resolves the preset and its
    /// overrides into the full set), so nothing of the previous preset lingers.
    /// </summary>
    private async ValueTask<SwitchEnvResult> SwitchAsync(SwitchEnvParams parameters, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(parameters.Preset))
        {
            throw new AiSwitchException(ErrorId.InvalidArgument, "env.switch needs the name of the preset in 'preset'.", "preset");
        }

        var variables = parameters.Variables ?? [];
        if (variables.Keys.FirstOrDefault(name => name.Length == 0 || name.Contains('=') || name.Contains('\0')) is { } bad)
        {
            throw new AiSwitchException(ErrorId.InvalidVariableName, $"'{bad}' is not a valid environment variable name (it is empty or holds '=' or NUL). Fix preset '{parameters.Preset}'.", bad);
        }

        var next = new EnvironmentView(parameters.Preset, variables.ToImmutableSortedDictionary(StringComparer.Ordinal, StringComparer.Ordinal));
        await _switchGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _environment.Current;
            try
            {
                await Task.Yield();
                await _agent.BeforeSwitchAsync(current, next, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new AiSwitchException(
                    ErrorId.EnvironmentSwitchFailed,
                    $"Agent '{_agentId}' refused the switch to preset '{parameters.Preset}': {e.Message} Nothing changed; it still runs with {Describe(current)}.",
                    parameters.Preset,
                    e);
            }

            var snapshotId = parameters.CreateSnapshot == true ? _environment.Snapshot(null, $"before the switch to '{parameters.Preset}'").SnapshotId : null;
            _environment.Replace(next);
            Log($"environment switched from {Describe(current)} to preset '{next.Preset}' ({next.Variables.Count} variables)");
            _ = Publish("env.switched", null, null, ("preset", next.Preset), ("previous_preset", current.Preset));
            return new SwitchEnvResult
            {
                PreviousPreset = current.Preset.Length == 0 ? null : current.Preset,
                CurrentPreset = next.Preset,
                SnapshotId = snapshotId,
                SwitchedAt = _clock.GetUtcNow(),
            };
        }
        finally
        {
            _switchGate.Release();
        }
    }

    private async ValueTask<AgentRollbackResult> RollbackAsync(RollbackParams parameters, CancellationToken cancellationToken)
    {
        await _switchGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var saved = _environment.GetSnapshot(parameters.SnapshotId);
            var force = parameters.Force == true;
            try
            {
                await Task.Yield();
                await _agent.BeforeSwitchAsync(_environment.Current, saved.View, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException && !force)
            {
                throw new AiSwitchException(
                    ErrorId.RollbackFailed,
                    $"Agent '{_agentId}' refused the rollback to snapshot '{saved.SnapshotId}': {e.Message} Nothing changed; roll back with force to apply it anyway.",
                    saved.SnapshotId,
                    e);
            }

            _environment.Replace(saved.View);
            Log($"environment rolled back to snapshot '{saved.SnapshotId}' ({Describe(saved.View)})");
            _ = Publish("env.rolled_back", null, null, ("snapshot_id", saved.SnapshotId), ("preset", saved.View.Preset));
            return new AgentRollbackResult { Snapshot = ToWire(saved), RolledBackAt = _clock.GetUtcNow() };
        }
        finally
        {
            _switchGate.Release();
        }
    }

    private AgentEnvSnapshot ToWire(SavedEnvironment saved) => new()
    {
        SnapshotId = saved.SnapshotId,
        AgentId = _agentId,
        Timestamp = saved.Timestamp,
        PresetName = saved.View.Preset,
        Variables = saved.View.Variables.ToDictionary(StringComparer.Ordinal),
        Checksum = saved.Checksum,
        Description = saved.Description.Length == 0 ? null : saved.Description,
    };

    private static string Describe(EnvironmentView view) => view.Preset.Length == 0 ? "no preset" : $"preset '{view.Preset}'";
}
