using AiSwitch.Core.Environments;
using AiSwitch.Core.Hosting;

namespace AiSwitch.Core.Agents;

/// <summary>
/// What the environment switcher needs from the session's agent registry: the live long-lived instance of an agent this
/// session started, and the launch the agent would get now (built from its environment record as just committed).
/// The registry implements it and attaches itself with <see cref="AgentEnvironmentSwitcher.Attach"/>.
/// </summary>
internal interface ILiveAgentDirectory
{
    /// <summary>The agent's live long-lived instance in this session; null when it is not running here or runs per task.</summary>
    ILongLivedAgent? FindLive(string agentName);

    /// <summary>The complete launch for the agent as it would start now.</summary>
    AgentLaunch LaunchFor(string agentName);
}

/// <summary>
/// Switching an agent's environment while it may be running (Switch-AiEnvironment -Agent). The agent's record is committed
/// first, as for any agent; then, if the agent is live in this session as a long-lived process, the new launch is handed to
/// it (JSON-RPC: env.switch, which running tasks never see; a long-lived CLI: a restart once its running task ends). If the
/// live agent does not take it, the record is rolled back to the snapshot taken before the switch and the switch fails
/// with EnvironmentSwitchFailed (-40202). Per-task agents need nothing more: their next task is launched from the record.
/// </summary>
internal sealed class AgentEnvironmentSwitcher
{
    private ILiveAgentDirectory? _directory;

    /// <summary>The session's switcher; the registry attaches to it, the environment operations use it.</summary>
    public static AgentEnvironmentSwitcher For(AiSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.GetService(_ => new AgentEnvironmentSwitcher());
    }

    /// <summary>Called by the session's registry once it exists; until then no agent is live in the session.</summary>
    public void Attach(ILiveAgentDirectory directory) => Volatile.Write(ref _directory, directory ?? throw new ArgumentNullException(nameof(directory)));

    /// <summary>
    /// Switches <paramref name="agent"/> to <paramref name="preset"/> through <paramref name="operations"/>, then the live
    /// instance if there is one. With <paramref name="snapshot"/> false a live agent still gets a snapshot to roll back to,
    /// removed again once the agent has taken the switch.
    /// </summary>
    public async Task<SwitchResult> SwitchAsync(
        EnvironmentOperations operations,
        string agent,
        string preset,
        IReadOnlyDictionary<string, string>? overrides,
        bool snapshot,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var directory = Volatile.Read(ref _directory);
        var live = directory?.FindLive(agent);
        if (live is null)
        {
            return operations.Switch(agent, preset, overrides, snapshot);
        }

        var result = operations.Switch(agent, preset, overrides, snapshot: true);
        var snapshotId = result.SnapshotId!;
        try
        {
            await live.SwitchEnvironmentAsync(directory!.LaunchFor(agent), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AiSwitchException or OperationCanceledException or IOException)
        {
            RollBack(operations, agent, preset, result, snapshot, e);
        }

        if (snapshot)
        {
            return result;
        }

        operations.RemoveSnapshot(agent, snapshotId);
        return new SwitchResult
        {
            Agent = result.Agent,
            PreviousPreset = result.PreviousPreset,
            CurrentPreset = result.CurrentPreset,
            SnapshotId = null,
            SwitchedAt = result.SwitchedAt,
            VariablesSet = result.VariablesSet,
            VariablesRemoved = result.VariablesRemoved,
        };
    }

    private static void RollBack(EnvironmentOperations operations, string agent, string preset, SwitchResult result, bool keepSnapshot, Exception cause)
    {
        var snapshotId = result.SnapshotId!;
        var previous = result.PreviousPreset is null ? "no preset" : $"preset '{result.PreviousPreset}'";
        try
        {
            operations.Restore(agent, snapshotId, force: true);
            if (!keepSnapshot)
            {
                operations.RemoveSnapshot(agent, snapshotId);
            }
        }
        catch (AiSwitchException rollback)
        {
            throw new AiSwitchException(ErrorId.RollbackFailed,
                $"Agent '{agent}' is running and did not take preset '{preset}' ({cause.Message.TrimEnd('.')}), and rolling its record back to " +
                $"snapshot '{snapshotId}' failed too: {rollback.Message} Restore it with Restore-AiEnvironment -Agent {agent} -SnapshotId {snapshotId}.",
                agent, rollback);
        }

        throw new AiSwitchException(ErrorId.EnvironmentSwitchFailed,
            $"Agent '{agent}' is running and did not take preset '{preset}': {cause.Message.TrimEnd('.')}. " +
            $"Its environment was rolled back to snapshot '{snapshotId}' ({previous}) and it goes on with that; " +
            $"fix the preset and switch again, or restart the agent (Restart-AiAgent -Name {agent}).",
            agent, cause);
    }
}
