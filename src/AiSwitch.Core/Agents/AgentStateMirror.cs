
namespace AiSwitch.Core.Agents;

/// <summary>
/// Writes this session's agent entries to state/agents.json off the caller's thread, one write for every change made
/// while the previous write was under way. A run over N agents changes each agent's status a few times; writing each
/// change on its own read and rewrote the file (and checked every entry's owner) N times per change, under its lock.
/// </summary>
/// <remarks>
/// The mirror is for other sessions. When a write fails (a corrupt file, a full disk) its entries wait for the next
/// change, which carries them along; Get-AiAgent reports the file's problem when it reads it.
/// </remarks>
internal sealed class AgentStateMirror(AgentStateStore store)
{
    private readonly object _gate = new();
    private Dictionary<string, AgentStateEntry?> _pending = new(StringComparer.Ordinal);
    private Task _writer = Task.CompletedTask;
    private bool _writing;

    /// <summary>Queues the agent's entry (null removes it); the returned task completes once a write carrying it ended.</summary>
    public Task Publish(string agent, AgentStateEntry? entry)
    {
        lock (_gate)
        {
            _pending[agent] = entry;
            if (!_writing)
            {
                _writing = true;
                _writer = Task.Run(WriteUntilDrained);
            }

            return _writer;
        }
    }

    /// <summary>Completes when every entry queued so far has been written (or its write failed).</summary>
    public Task Flushed
    {
        get
        {
            lock (_gate)
            {
                return _writer;
            }
        }
    }

    private void WriteUntilDrained()
    {
        while (true)
        {
            Dictionary<string, AgentStateEntry?> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    // Decided under the gate: a change queued after this sees no writer and starts one.
                    _writing = false;
                    return;
                }

                batch = _pending;
                _pending = new Dictionary<string, AgentStateEntry?>(StringComparer.Ordinal);
            }

            try
            {
                store.Publish(batch);
            }
            catch (Exception ex) when (ex is AiSwitchException or IOException or UnauthorizedAccessException)
            {
                lock (_gate)
                {
                    // Kept for the next change to carry (newer entries win); retrying now would only fail again.
                    foreach (var (agent, entry) in batch)
                    {
                        _pending.TryAdd(agent, entry);
                    }

                    _writing = false;
                    return;
                }
            }
        }
    }
}
