using System.Globalization;
using AiSwitch.Core.Metrics;

namespace AiSwitch.Core.Agents;

/// <content>
/// The registry as the metrics sampler's source: this session's running agents with a process, and the session's
/// sampler over them (started with the session's first agent launch, disposed with the session).
/// </content>
internal sealed partial class AgentRegistry : ILiveAgentSource
{
    /// <summary>Seconds between metrics samples for a session's registry; 0 turns sampling off.</summary>
    public const string MetricsIntervalVariable = "AISWITCH_METRICS_INTERVAL";

    IReadOnlyList<LiveAgent> ILiveAgentSource.RunningAgents()
    {
        var now = _session.Clock.GetUtcNow();
        var running = new List<LiveAgent>();
        foreach (var instance in _instances.Values)
        {
            lock (instance.Gate)
            {
                if (instance.IsActive && instance.Pid is { } pid)
                {
                    running.Add(Live(instance, pid, now));
                }
            }
        }

        return running;
    }

    /// <summary>
    /// Samples one agent's process now, when a task starts on it and when the task ends (see
    /// <see cref="MetricsSampler.Record"/>). A store that cannot be written never fails the task.
    /// </summary>
    private void SampleNow(AgentInstance instance, int pid, bool processEnded)
    {
        if (StartSampling() is not { } sampler)
        {
            return;
        }

        LiveAgent agent;
        lock (instance.Gate)
        {
            agent = Live(instance, pid, _session.Clock.GetUtcNow());
        }

        try
        {
            sampler.Record(agent, processEnded);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The samples stay queued; the next write takes them along.
        }
    }

    /// <summary>The agent as the sampler sees it (call under <see cref="AgentInstance.Gate"/>).</summary>
    private static LiveAgent Live(AgentInstance instance, int pid, DateTimeOffset now)
        => new(instance.Definition.Name, pid, instance.Status, instance.StartedAt ?? now, instance.TasksDone, instance.Errors,
            instance.TasksDone == 0 ? 0 : Math.Round(instance.TaskTime.TotalMilliseconds / instance.TasksDone, 3),
            instance.FirstTokens == 0 ? 0 : Math.Round(instance.FirstTokenTime.TotalMilliseconds / instance.FirstTokens, 3));

    /// <summary>
    /// Starts the session's sampler over this registry's agents every <see cref="AgentRegistryOptions.MetricsInterval"/>
    /// (once per session; the session disposes it, which writes its last samples). Null when the interval is 0.
    /// </summary>
    public MetricsSampler? StartSampling()
    {
        if (_options.MetricsInterval <= TimeSpan.Zero)
        {
            return null;
        }

        return _session.GetService(s =>
        {
            // One write per tick (all agents' samples together), so Get-AiAgentMetrics sees them within one interval.
            var sampler = new MetricsSampler(this, MetricsStore.For(s), clock: s.Clock, interval: _options.MetricsInterval, batchSize: 1, system: SystemSampler.For(s));
            sampler.Start();
            return sampler;
        });
    }

    /// <summary>The options of a session's registry: the defaults, with the sampling interval from <see cref="MetricsIntervalVariable"/>.</summary>
    private static AgentRegistryOptions SessionOptions(AiSession session)
    {
        var text = session.Environment.Get(MetricsIntervalVariable);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds <= TimeSpan.FromDays(1).TotalSeconds
            ? new AgentRegistryOptions { MetricsInterval = TimeSpan.FromSeconds(seconds) }
            : AgentRegistryOptions.Default;
    }
}
