using System.Diagnostics;
using System.Text.Json;
using AiSwitch.Core.Home;
using AiSwitch.Core.Locking;
using AiSwitch.Core.Tasks;

namespace AiSwitch.Core.Agents;

/// <summary>
/// Stopping an agent that another session (another process) runs. Like a task's cancel marker (TaskJobs), the stopper
/// writes <c>state/agent-stops/&lt;session&gt;.&lt;agent&gt;.json</c>; the owning session, which looks for its own
/// requests while it has agents, takes the file and stops the agent as its own Stop-AiAgent would (tasks get the
/// timeout, then process trees are killed), and its state/agents.json entry goes. The stopper waits for that entry, not
/// for a time. An owner that dies or does not answer within the timeout and a grace: the agent's process is killed by
/// pid, but only while that pid still has the start time the owner recorded, so a recycled pid is never killed.
/// </summary>
internal sealed partial class AgentRegistry
{
    /// <summary>How long past the stop timeout an owner may take to answer before its agent is killed by pid.</summary>
    internal static readonly TimeSpan RemoteStopGrace = TimeSpan.FromSeconds(15);

    private CancellationTokenSource? _stopWatch;

    private string StopFolder => Path.Combine(_session.Home.StateDir, "agent-stops");

    private string StopFile(string sessionId, string agent) => Path.Combine(StopFolder, $"{sessionId}.{agent.ToLowerInvariant()}.json");

    /// <summary>From the first agent this session mirrors on, it looks for stop requests other processes leave it.</summary>
    private void WatchForStopRequests()
    {
        if (Volatile.Read(ref _stopWatch) is not null || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        var watch = new CancellationTokenSource();
        if (Interlocked.CompareExchange(ref _stopWatch, watch, null) is not null)
        {
            watch.Dispose();
            return;
        }

        _ = Task.Run(() => WatchAsync(watch.Token));
    }

    private async Task WatchAsync(CancellationToken token)
    {
        using var timer = new PeriodicTimer(TaskJobs.PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                foreach (var request in TakeStopRequests())
                {
                    _ = HonourAsync(request);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The session ended.
        }
    }

    private List<AgentStopRequest> TakeStopRequests()
    {
        var taken = new List<AgentStopRequest>();
        if (!Directory.Exists(StopFolder))
        {
            return taken;
        }

        foreach (var file in Directory.EnumerateFiles(StopFolder, _sessionId + ".*.json"))
        {
            try
            {
                var bytes = AtomicFile.ReadOrNull(file);
                AtomicFile.TryRemove(file);
                if (bytes is not null && JsonSerializer.Deserialize(bytes, AgentsJsonContext.Default.AgentStopRequest) is { } request)
                {
                    taken.Add(request);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
            {
                // A torn or foreign file: the stopper, still waiting, falls back to stopping the agent by pid.
            }
        }

        return taken;
    }

    private async Task HonourAsync(AgentStopRequest request)
    {
        if (_instances.TryGetValue(request.Agent, out var instance))
        {
            instance.StopReason = $"stopped by process {request.RequestedBy}";
        }

        try
        {
            await StopAsync(new StopAgentRequest { Name = request.Agent, Force = request.Force, Timeout = TimeSpan.FromSeconds(request.TimeoutSeconds) }).ConfigureAwait(false);
        }
        catch (AiSwitchException)
        {
            // The stopper sees the agent still listed, and stops it by pid once its wait is over.
        }
    }

    /// <summary>Stops <paramref name="definition"/>'s agent that <paramref name="elsewhere"/>'s session runs; returns it stopped, naming that session's pid.</summary>
    private async Task<AiAgent> StopElsewhereAsync(AgentDefinition definition, AgentStateEntry elsewhere, StopAgentRequest request, CancellationToken cancellationToken)
    {
        var file = StopFile(elsewhere.SessionId, definition.Name);
        PrivateDirectory.Create(StopFolder);
        var ask = new AgentStopRequest
        {
            Agent = definition.Name, RequestedBy = Environment.ProcessId, Force = request.Force,
            TimeoutSeconds = request.Timeout.TotalSeconds, RequestedAt = _session.Clock.GetUtcNow(),
        };
        AtomicFile.Write(file, JsonSerializer.SerializeToUtf8Bytes(ask, AgentsJsonContext.Default.AgentStopRequest), durable: false);
        try
        {
            var waited = Stopwatch.StartNew();
            var last = elsewhere;
            using var timer = new PeriodicTimer(TaskJobs.PollInterval);
            while (true)
            {
                var now = _state.Find(elsewhere.SessionId, definition.Name);
                if (now is null || now.Status == AgentStatus.Stopped)
                {
                    if (now is null && ProcessIdentity.Check(last.OwnerPid, last.OwnerStartToken) != OwnerLiveness.Alive)
                    {
                        await KillByIdentityAsync(last).ConfigureAwait(false); // the owner died before it could stop its agent
                    }

                    break;
                }

                last = now;
                if (waited.Elapsed > request.Timeout + RemoteStopGrace)
                {
                    await KillByIdentityAsync(now).ConfigureAwait(false);
                    break;
                }

                await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            AtomicFile.TryRemove(file);
        }

        return Describe(definition, new AgentStateEntry
        {
            Name = definition.Name, SessionId = elsewhere.SessionId, OwnerPid = elsewhere.OwnerPid, OwnerStartToken = elsewhere.OwnerStartToken,
            Status = AgentStatus.Stopped, Preset = elsewhere.Preset, UpdatedAt = _session.Clock.GetUtcNow(),
        });
    }

    /// <summary>Kills the agent's process tree, only while its pid is still the process the owner recorded.</summary>
    private static async Task KillByIdentityAsync(AgentStateEntry entry)
    {
        if (entry.Pid is not { } pid || entry.PidStartToken is not { } token || ProcessIdentity.StartToken(pid) != token)
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It ended on its own meanwhile.
        }
    }
}

/// <summary>A stop request left for the session that runs the agent (state/agent-stops).</summary>
internal sealed class AgentStopRequest
{
    public required string Agent { get; init; }

    public int RequestedBy { get; init; }

    public bool Force { get; init; }

    public double TimeoutSeconds { get; init; }

    public DateTimeOffset RequestedAt { get; init; }
}
