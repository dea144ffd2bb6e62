using AiSwitch.Core.Home;

namespace AiSwitch.Core.Agents;

/// <summary>state/circuits.json: the agents whose circuit is not plainly closed (failures counted, open or half-open).</summary>
internal sealed class CircuitFile
{
    public List<CircuitEntry> Agents { get; set; } = [];
}

internal sealed class CircuitEntry
{
    public required string Name { get; init; }

    public CircuitState State { get; set; }

    public int Failures { get; set; }

    /// <summary>Open: when the next probe may pass. HalfOpen: when the probe's lease ends and another may pass.</summary>
    public DateTimeOffset? ProbeAt { get; set; }

    public string? LastError { get; set; }
}

/// <summary>One agent's circuit as of now; <see cref="Admits"/> says whether a task may go to it.</summary>
internal sealed record CircuitView(string Agent, CircuitState State, int Failures, DateTimeOffset? ProbeAt, string? LastError, bool Admits)
{
    public static CircuitView Closed(string agent) => new(agent, CircuitState.Closed, 0, null, null, true);
}

/// <summary>
/// A circuit breaker per agent for task distribution: Closed → Open after <see cref="FailureThreshold"/> failures in a
/// row (at once when the agent cannot start at all) → after <see cref="CoolDown"/> one probe task passes (HalfOpen) →
/// Closed when it succeeds, Open for another cool-down when it fails. The state lives in state/circuits.json, so every
/// session and every `aiswitch` command routes around the same broken agent and shows the same state.
/// </summary>
/// <remarks>
/// Polly's breaker wraps the call it guards and keeps its state in one process; here the choice of agent happens before
/// any call, and the state must survive the command that learnt it, so this is a small state machine on a state file.
/// A half-open probe holds a lease of one cool-down: if its session dies mid-probe, the next probe passes after it.
/// </remarks>
internal sealed class AgentCircuits
{
    public const int DefaultFailureThreshold = 3;

    public static readonly TimeSpan DefaultCoolDown = TimeSpan.FromSeconds(30);

    private readonly JsonStateFile<CircuitFile> _file;
    private readonly TimeProvider _clock;

    public AgentCircuits(AiHome home, TimeProvider? clock = null)
    {
        _file = new JsonStateFile<CircuitFile>(Path.Combine(home.StateDir, "circuits.json"), AgentsJsonContext.Default.CircuitFile);
        _clock = clock ?? TimeProvider.System;
    }

    public int FailureThreshold { get; init; } = DefaultFailureThreshold;

    public TimeSpan CoolDown { get; init; } = DefaultCoolDown;

    /// <summary>The same circuits (the same file) judged with other settings: config/coordination.yaml's <c>circuit</c>.</summary>
    public AgentCircuits With(int failureThreshold, TimeSpan coolDown)
        => failureThreshold == FailureThreshold && coolDown == CoolDown ? this : new AgentCircuits(_file, _clock) { FailureThreshold = failureThreshold, CoolDown = coolDown };

    private AgentCircuits(JsonStateFile<CircuitFile> file, TimeProvider clock)
    {
        _file = file;
        _clock = clock;
    }

    /// <summary>Every agent's circuit as of now, by name; agents missing from it are closed.</summary>
    public IReadOnlyDictionary<string, CircuitView> Snapshot()
    {
        var now = _clock.GetUtcNow();
        return (_file.Read()?.Agents ?? []).ToDictionary(e => e.Name, e => View(e, now), StringComparer.OrdinalIgnoreCase);
    }

    public CircuitView Get(string agent) => Snapshot().GetValueOrDefault(agent) ?? CircuitView.Closed(agent);

    /// <summary>
    /// Claims the agent for one task: true for a closed circuit; for an open or half-open one whose time has come, true
    /// once (this task is the probe, and the circuit is HalfOpen until it reports), false otherwise.
    /// </summary>
    public bool TryAdmit(string agent)
    {
        var admitted = true;
        _file.Update(current =>
        {
            var file = current ?? new CircuitFile();
            var now = _clock.GetUtcNow();
            if (Find(file, agent) is { } entry && entry.State != CircuitState.Closed)
            {
                admitted = View(entry, now).Admits;
                if (admitted)
                {
                    entry.State = CircuitState.HalfOpen;
                    entry.ProbeAt = now + CoolDown;
                }
            }

            return file;
        }, durable: false);
        return admitted;
    }

    /// <summary>A task on the agent succeeded: its circuit closes and its count of failures starts again.</summary>
    public void Succeeded(string agent)
    {
        // Most successes find nothing to reset; they read and never take the file's mutex.
        if (!Snapshot().ContainsKey(agent))
        {
            return;
        }

        _file.Update(current =>
        {
            var file = current ?? new CircuitFile();
            file.Agents.RemoveAll(e => string.Equals(e.Name, agent, StringComparison.OrdinalIgnoreCase));
            return file;
        }, durable: false);
    }

    /// <summary>
    /// A task on the agent failed: one more failure in a row. The circuit opens at the threshold, at once when
    /// <paramref name="down"/> (the agent could not start), and again when a half-open probe fails.
    /// </summary>
    public void Failed(string agent, string? error, bool down)
    {
        _file.Update(current =>
        {
            var file = current ?? new CircuitFile();
            var now = _clock.GetUtcNow();
            var entry = Find(file, agent);
            if (entry is null)
            {
                entry = new CircuitEntry { Name = agent };
                file.Agents.Add(entry);
            }

            entry.Failures++;
            entry.LastError = error;
            if (down || entry.State != CircuitState.Closed || entry.Failures >= FailureThreshold)
            {
                entry.State = CircuitState.Open;
                entry.ProbeAt = now + CoolDown;
            }

            return file;
        }, durable: false);
    }

    private static CircuitEntry? Find(CircuitFile file, string agent) =>
        file.Agents.FirstOrDefault(e => string.Equals(e.Name, agent, StringComparison.OrdinalIgnoreCase));

    private static CircuitView View(CircuitEntry entry, DateTimeOffset now)
    {
        var due = entry.ProbeAt is not { } at || now >= at;
        // An open circuit whose cool-down has ended lets the next task through as its probe: it shows as HalfOpen.
        var state = entry.State == CircuitState.Open && due ? CircuitState.HalfOpen : entry.State;
        return new CircuitView(entry.Name, state, entry.Failures, entry.State == CircuitState.Closed ? null : entry.ProbeAt, entry.LastError,
            Admits: entry.State == CircuitState.Closed || due);
    }
}
