using AiSwitch.Core.Home;
using AiSwitch.Core.Locking;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Agents;

/// <summary>
/// state/agents.json: every session's live agents with their owner's pid, so Get-AiAgent in another session (or
/// another process) sees them. An entry whose owner process has died reads as stopped and is pruned on the next write.
/// </summary>
internal sealed class AgentStateStore
{
    private readonly JsonStateFile<AgentStateFile> _file;
    private readonly string _sessionId;

    public AgentStateStore(AiHome home, string sessionId)
    {
        _file = new JsonStateFile<AgentStateFile>(System.IO.Path.Combine(home.StateDir, "agents.json"), AgentsJsonContext.Default.AgentStateFile);
        _sessionId = sessionId;
    }

    public string Path => _file.Path;

    /// <summary>Replaces this session's entries for the agents given, in one write; a null entry removes the agent's.</summary>
    public void Publish(IReadOnlyDictionary<string, AgentStateEntry?> entries)
        => _file.Update(current =>
        {
            var live = new OwnerCheck();
            var agents = (current?.Agents ?? []).Where(e => live.IsLive(e) && !(e.SessionId == _sessionId && entries.ContainsKey(e.Name))).ToList();
            agents.AddRange(entries.Values.OfType<AgentStateEntry>());
            return new AgentStateFile { Agents = agents };
        }, durable: false);

    /// <summary>Removes every entry of this session (when it ends).</summary>
    public void RemoveSession()
        => _file.Update(current =>
        {
            var live = new OwnerCheck();
            return new AgentStateFile { Agents = (current?.Agents ?? []).Where(e => live.IsLive(e) && e.SessionId != _sessionId).ToList() };
        }, durable: false);

    /// <summary>Live entries of other sessions, by agent name (a dead owner's entries are left out).</summary>
    public ILookup<string, AgentStateEntry> OtherSessions()
    {
        var live = new OwnerCheck();
        return (_file.Read()?.Agents ?? [])
            .Where(e => e.SessionId != _sessionId && e.Status != AgentStatus.Stopped && live.IsLive(e))
            .ToLookup(e => e.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The entry of <paramref name="sessionId"/>'s agent, or null when it has none or that session's process has ended.</summary>
    public AgentStateEntry? Find(string sessionId, string name)
    {
        var live = new OwnerCheck();
        return (_file.Read()?.Agents ?? [])
            .FirstOrDefault(e => e.SessionId == sessionId && e.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && live.IsLive(e));
    }

    public AgentStateEntry Entry(string name, AgentInstance instance, DateTimeOffset now) => new()
    {
        Name = name,
        SessionId = _sessionId,
        OwnerPid = Environment.ProcessId,
        OwnerStartToken = ProcessIdentity.CurrentStartToken,
        Status = instance.Status,
        Preset = instance.Preset,
        Pid = instance.Pid,
        PidSince = instance.PidSince,
        PidStartToken = instance.Pid is { } pid ? ProcessIdentity.StartToken(pid) : null,
        StartedAt = instance.StartedAt,
        ActiveTasks = instance.ActiveTasks,
        Progress = instance.Progress,
        TasksDone = instance.TasksDone,
        Errors = instance.Errors,
        Restarts = instance.Restarts,
        LastHeartbeat = instance.Live?.LastHeartbeat,
        LastError = instance.LastError,
        UpdatedAt = now,
    };

    /// <summary>Whether entries' owners live, each owner looked up once: the entries of one session share their owner.</summary>
    private sealed class OwnerCheck
    {
        private readonly Dictionary<(int Pid, string? Token), bool> _known = [];

        public bool IsLive(AgentStateEntry entry)
        {
            var owner = (entry.OwnerPid, entry.OwnerStartToken);
            if (!_known.TryGetValue(owner, out var live))
            {
                live = ProcessIdentity.Check(owner.OwnerPid, owner.OwnerStartToken) == OwnerLiveness.Alive;
                _known[owner] = live;
            }

            return live;
        }
    }
}
