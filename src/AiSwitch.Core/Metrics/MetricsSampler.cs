using System.Diagnostics;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Metrics;

/// <summary>
/// A running agent as the supervisor sees it: what the sampler cannot read from the OS. <see cref="ResponseTimeMs"/>
/// is the mean time this session's tasks on it took, from handing the task over to its result; <see cref="FirstTokenMs"/>
/// the mean time to their first output, over the tasks that had one.
/// </summary>
internal sealed record LiveAgent(
    string Agent,
    int ProcessId,
    AgentStatus Status,
    DateTimeOffset StartedAt,
    long TaskCount = 0,
    long ErrorCount = 0,
    double ResponseTimeMs = 0,
    double FirstTokenMs = 0);

/// <summary>The running agents to sample; the agents area implements it over its session registry.</summary>
internal interface ILiveAgentSource
{
    IReadOnlyList<LiveAgent> RunningAgents();
}

/// <summary>
/// What the OS says about a process: CPU time used so far, resident memory, threads, and the bytes its process tree
/// read from and wrote to storage so far (null where the OS does not say). Null when it is gone.
/// </summary>
internal interface IProcessProbe
{
    ProcessReading? Read(int processId);
}

internal readonly record struct ProcessReading(TimeSpan CpuTime, long ResidentBytes, int Threads, long? IoBytes = null);

/// <summary>
/// Samples running agents every <see cref="Interval"/> (5 s by default): CPU % (CPU time used since the previous sample
/// over the wall time between them), memory, threads, disk I/O, and the supervisor's response time, time to first token,
/// errors, tasks and uptime. Network I/O is left null (not measured): no OS counts it per process without privileges.
/// Samples are kept in memory and written to the <see cref="MetricsStore"/> in batches.
/// </summary>
internal sealed class MetricsSampler : IAsyncDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    private readonly ILiveAgentSource _agents;
    private readonly MetricsStore _store;
    private readonly IProcessProbe _probe;
    private readonly TimeProvider _clock;
    private readonly int _batchSize;
    private readonly Dictionary<int, (ProcessReading Reading, long At)> _previous = [];
    private readonly List<AgentMetricsSample> _pending = [];
    private readonly SystemSampler? _system;
    private readonly List<SystemMetricsSample> _pendingSystem = [];
    private readonly object _gate = new();
    private CancellationTokenSource? _stop;
    private Task? _loop;

    /// <summary><paramref name="system"/>, when given, samples the host at each tick beside the agents.</summary>
    public MetricsSampler(ILiveAgentSource agents, MetricsStore store, IProcessProbe? probe = null, TimeProvider? clock = null, TimeSpan? interval = null, int batchSize = 60,
        SystemSampler? system = null)
    {
        _system = system;
        _agents = agents;
        _store = store;
        _probe = probe ?? ProcessProbes.ForThisPlatform();
        _clock = clock ?? TimeProvider.System;
        Interval = interval ?? DefaultInterval;
        _batchSize = batchSize;
    }

    public TimeSpan Interval { get; }

    /// <summary>Takes one sample of every running agent; returns them (also queued for the store).</summary>
    public IReadOnlyList<AgentMetricsSample> SampleOnce()
    {
        var now = _clock.GetUtcNow();
        var tick = _clock.GetTimestamp();
        var samples = new List<AgentMetricsSample>();
        lock (_gate)
        {
            var alive = new HashSet<int>();
            foreach (var agent in _agents.RunningAgents())
            {
                if (SampleLocked(agent, now, tick, processEnded: false) is { } sample)
                {
                    alive.Add(agent.ProcessId);
                    samples.Add(sample);
                }
            }

            foreach (var gone in _previous.Keys.Where(pid => !alive.Contains(pid)).ToList())
            {
                _previous.Remove(gone);
            }

            if (_system is not null)
            {
                _pendingSystem.Add(_system.Sample());
            }

            Queue(samples);
        }

        return samples;
    }

    /// <summary>
    /// Samples one agent now, between ticks: when a task starts and ends, since a per-task agent's process may live
    /// less than an interval and would otherwise never be seen. With <paramref name="processEnded"/> the process may be
    /// gone: the sample still carries the task counts and response time, with the process's last reading (zeros when
    /// it was never read).
    /// </summary>
    public AgentMetricsSample? Record(LiveAgent agent, bool processEnded)
    {
        lock (_gate)
        {
            var sample = SampleLocked(agent, _clock.GetUtcNow(), _clock.GetTimestamp(), processEnded);
            if (sample is not null)
            {
                Queue([sample]);
            }

            return sample;
        }
    }

    private AgentMetricsSample? SampleLocked(LiveAgent agent, DateTimeOffset now, long tick, bool processEnded)
    {
        var known = _previous.TryGetValue(agent.ProcessId, out var before);
        double cpu = 0;
        ProcessReading reading;
        if (_probe.Read(agent.ProcessId) is { } r)
        {
            if (known)
            {
                var wall = _clock.GetElapsedTime(before.At, tick);
                cpu = wall > TimeSpan.Zero ? Math.Max(0, (r.CpuTime - before.Reading.CpuTime) / wall * 100) : 0;
            }

            _previous[agent.ProcessId] = (r, tick);
            reading = r;
        }
        else if (processEnded)
        {
            reading = known ? before.Reading : default;
            _previous.Remove(agent.ProcessId);
        }
        else
        {
            return null;
        }

        return new AgentMetricsSample
        {
            Agent = agent.Agent,
            Timestamp = now,
            Status = agent.Status,
            Pid = agent.ProcessId,
            CpuPercent = Math.Round(cpu, 2),
            MemoryMb = Math.Round(reading.ResidentBytes / 1048576.0, 2),
            Threads = reading.Threads,
            DiskIoKb = reading.IoBytes is { } io ? Math.Round(io / 1024.0, 2) : 0,
            NetworkIoKb = null,
            ResponseTimeMs = agent.ResponseTimeMs,
            FirstTokenMs = agent.FirstTokenMs,
            ErrorCount = agent.ErrorCount,
            TaskCount = agent.TaskCount,
            UptimeSeconds = Math.Round(Math.Max(0, (now - agent.StartedAt).TotalSeconds), 1),
        };
    }

    private void Queue(IReadOnlyList<AgentMetricsSample> samples)
    {
        _pending.AddRange(samples);
        if (_pending.Count + _pendingSystem.Count >= _batchSize)
        {
            FlushLocked();
        }
    }

    /// <summary>Writes the queued samples now.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            FlushLocked();
        }
    }

    /// <summary>Samples every <see cref="Interval"/> until <see cref="DisposeAsync"/>; prunes old files once at start.</summary>
    public void Start()
    {
        if (_loop is not null)
        {
            return;
        }

        _stop = new CancellationTokenSource();
        try
        {
            _store.Prune();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Pruning is housekeeping: a file that cannot be deleted now is tried again at the next start.
        }

        _loop = RunAsync(_stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop is not null)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await _loop!.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            _stop.Dispose();
        }

        Flush();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, _clock);
        TrySample();
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            TrySample();
        }
    }

    /// <summary>
    /// One tick of the background loop. A store that cannot be written (disk full, permissions) must not end the loop
    /// or the session: the samples stay queued and the next tick writes them with its own.
    /// </summary>
    private void TrySample()
    {
        try
        {
            SampleOnce();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private void FlushLocked()
    {
        if (_pendingSystem.Count > 0)
        {
            _store.AppendSystem([.. _pendingSystem]);
            _pendingSystem.Clear();
        }

        if (_pending.Count == 0)
        {
            return;
        }

        _store.Append([.. _pending]);
        _pending.Clear();
    }
}
