using AiSwitch.Core.Home;
using AiSwitch.Core.Locking;
using AiSwitch.Core.Protocol;

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

    /// <summary>Replaces this session's entry for an agent; null removes it.</summary>
    public void Publish(string agent, AgentStateEntry? entry)
        => _file.Update(current =>
        {
            var agents = (current?.Agents ?? []).Where(e => IsLive(e) && !(e.SessionId == _sessionId && e.Name == agent)).ToList();
            if (entry is not null)
            {
                agents.Add(entry);
            }

            return new AgentStateFile { Agents = agents };
        }, durable: false);

    /// <summary>Removes every entry of this session (when it ends).</summary>
    public void RemoveSession()
        => _file.Update(current => new AgentStateFile
        {
            Agents = (current?.Agents ?? []).Where(e => IsLive(e) && e.SessionId != _sessionId).ToList(),
        }, durable: false);

    /// <summary>Live entries of other sessions, by agent name (a dead owner's entries are left out).</summary>
    public ILookup<string, AgentStateEntry> OtherSessions()
        => (_file.Read()?.Agents ?? [])
            .Where(e => e.SessionId != _sessionId && e.Status != AgentStatus.Stopped && IsLive(e))
            .ToLookup(e => e.Name, StringComparer.OrdinalIgnoreCase);

    public AgentStateEntry Entry(string name, AgentInstance instance, DateTimeOffset now) => new()
    {
        Name = name,
        SessionId = _sessionId,
        OwnerPid = Environment.ProcessId,
        OwnerStartToken = ProcessIdentity.CurrentStartToken,
        Status = instance.Status,
        Preset = instance.Preset,
        Pid = instance.Pid,
        StartedAt = instance.StartedAt,
        ActiveTasks = instance.ActiveTasks,
        TasksDone = instance.TasksDone,
        Errors = instance.Errors,
        Restarts = instance.Restarts,
        LastHeartbeat = instance.Live?.LastHeartbeat,
        LastError = instance.LastError,
        UpdatedAt = now,
    };

    private static bool IsLive(AgentStateEntry entry)
        => ProcessIdentity.Check(entry.OwnerPid, entry.OwnerStartToken) == OwnerLiveness.Alive;
}
