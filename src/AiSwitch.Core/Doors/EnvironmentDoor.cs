using AiSwitch.Core.Agents;
using AiSwitch.Core.Environments;
using AiSwitch.Core.Presets;

namespace AiSwitch.Core;

/// <summary>
/// The environments door: applying presets to a target — this session (<see cref="SessionTarget"/>) or a named agent —
/// after a snapshot, and snapshots, checksums and rollback. Results carry names and redacted values only.
/// <paramref name="secrets"/> arguments read <c>secret:</c> references (the PowerShell front passes SecretManagement).
/// </summary>
public sealed class EnvironmentDoor
{
    private readonly AiSession _session;

    internal EnvironmentDoor(AiSession session) => _session = session;

    /// <summary>The target name of the session itself (this runspace, or this CLI process).</summary>
    public const string SessionTarget = EnvironmentNames.Session;

    public static bool IsSession(string? target) => EnvironmentNames.IsSession(EnvironmentNames.Target(target));

    /// <summary>
    /// Switches the session or an agent to a preset with overrides laid over it: every reference resolves first, then all
    /// variables change or none. An agent running in this session as a long-lived process takes the switch too, without
    /// interrupting its running task, or the switch is rolled back (EnvironmentSwitchFailed).
    /// </summary>
    public Task<SwitchResult> SwitchAsync(string? target, string preset, IReadOnlyDictionary<string, string>? overrides = null, bool snapshot = true,
        Func<string, string?>? secrets = null, CancellationToken cancellationToken = default)
    {
        var operations = Operations(secrets);
        return IsSession(target)
            ? Task.FromResult(operations.Switch(target, preset, overrides, snapshot))
            : AgentEnvironmentSwitcher.For(_session).SwitchAsync(operations, EnvironmentNames.Target(target), preset, overrides, snapshot, cancellationToken);
    }

    /// <summary>Use-AiPreset / <c>aiswitch apply</c>: the session to a preset, or to the project pin (.aiswitch.yaml) when none is named.</summary>
    public SwitchResult Apply(string? preset, string workingDirectory, bool snapshot = true, Func<string, string?>? secrets = null)
        => Operations(secrets).Apply(preset, workingDirectory, snapshot);

    /// <summary><c>aiswitch apply</c>: applies to this process and returns the lines a shell evaluates (REAL values: never log them).</summary>
    public (SwitchResult Result, string Script) ApplyForShell(string? preset, string workingDirectory, string shell, bool snapshot = true)
        => Operations(null).ApplyForShell(preset, workingDirectory, ShellScript.Parse(shell), snapshot);

    /// <summary><c>aiswitch env rollback session ID --shell</c>: restores a session snapshot and returns the lines for the shell.</summary>
    public (RollbackResult Result, string Script) RestoreForShell(string snapshotId, string shell, bool force = false)
        => Operations(null).RestoreForShell(snapshotId, ShellScript.Parse(shell), force);

    /// <summary><c>aiswitch exec</c>: runs a command with the preset applied to a copy of this environment; returns its exit code.</summary>
    public Task<int> ExecAsync(string? preset, string workingDirectory, string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
        => Operations(null).ExecAsync(preset, workingDirectory, command, arguments, cancellationToken);

    public EnvSnapshot Checkpoint(string? target, string? snapshotId = null, string? description = null)
        => Operations(null).Checkpoint(target, snapshotId, description);

    /// <summary>Puts a snapshot back after verifying its checksum (SnapshotChecksumMismatch unless <paramref name="force"/>).</summary>
    public RollbackResult Restore(string? target, string snapshotId, bool force = false) => Operations(null).Restore(target, snapshotId, force);

    /// <summary>Snapshots of one target (every target when null), oldest first; the id may hold wildcards.</summary>
    public IReadOnlyList<EnvSnapshot> ListSnapshots(string? target = null, string? snapshotId = null) => Operations(null).ListSnapshots(target, snapshotId);

    public void RemoveSnapshot(string? target, string snapshotId) => Operations(null).RemoveSnapshot(target, snapshotId);

    /// <summary>The preset each target has applied: the session first, then every agent with an environment record.</summary>
    public IReadOnlyList<EnvironmentStatus> Current() => Operations(null).Current();

    /// <summary>Agents that have an environment record (tab completion).</summary>
    public IReadOnlyList<string> AgentNames() => Operations(null).AgentNames();

    /// <summary>Snapshot ids of one target, or of every target (tab completion).</summary>
    public IReadOnlyList<string> SnapshotIds(string? target = null) => Operations(null).SnapshotIds(target);

    /// <summary>The project pin at <paramref name="path"/> (a pin file, or a folder searched upward) and whether it is allowed.</summary>
    public ProjectPinStatus GetPin(string path) => Pins.Status(ProjectPinTrust.Locate(path));

    /// <summary>Allows the pin's current content to take effect (Grant-AiProjectPin, <c>aiswitch pin allow</c>).</summary>
    public ProjectPinStatus AllowPin(string path) => Pins.Allow(ProjectPinTrust.Locate(path));

    /// <summary>Withdraws the pin's allowance (Revoke-AiProjectPin, <c>aiswitch pin deny</c>).</summary>
    public ProjectPinStatus DenyPin(string path) => Pins.Deny(ProjectPinTrust.Locate(path));

    private ProjectPinTrust Pins => new(_session.Home, _session.Clock);

    private EnvironmentOperations Operations(Func<string, string?>? secrets) => new(_session, secrets);
}
