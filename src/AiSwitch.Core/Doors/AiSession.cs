using System.Collections.Concurrent;
using AiSwitch.Core.Environments;
using AiSwitch.Core.Home;

namespace AiSwitch.Core;

/// <summary>
/// One per PowerShell runspace and one per CLI process, and the only way into the engine: one door per area
/// (<see cref="Presets"/>, <see cref="Environments"/>, <see cref="Agents"/>, <see cref="Tasks"/>, <see cref="Usage"/>,
/// <see cref="Quotas"/>, <see cref="Metrics"/>, <see cref="Locks"/>), wired here and nowhere else. Areas attach their
/// per-session state (held locks, the agent registry…) with <see cref="GetService{T}"/>; disposing the session disposes
/// them in reverse order, so locks are released and child processes stopped when the runspace closes.
/// </summary>
public sealed class AiSession : IDisposable
{
    private readonly ConcurrentDictionary<Type, object> _services = new();
    private readonly List<object> _disposalOrder = [];
    private readonly object _gate = new();
    private int _disposed;

    internal AiSession(AiHome home, IProcessEnvironment environment, TimeProvider? clock = null)
    {
        Home = home;
        Environment = environment;
        Clock = clock ?? TimeProvider.System;
    }

    /// <summary>A session for this process: home from AISWITCH_HOME or ~/.aiswitch, the real environment and clock.</summary>
    public static AiSession CreateDefault() => new(AiHome.FromEnvironment(), ProcessEnvironment.Instance);

    public Guid Id { get; } = Guid.NewGuid();

    /// <summary>The home folder in use (AISWITCH_HOME, or ~/.aiswitch).</summary>
    public string HomePath => Home.Root;

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public PresetDoor Presets => GetService(s => new PresetDoor(s));

    public EnvironmentDoor Environments => GetService(s => new EnvironmentDoor(s));

    public AgentDoor Agents => GetService(s => new AgentDoor(s));

    public TaskDoor Tasks => GetService(s => new TaskDoor(s));

    public UsageDoor Usage => GetService(s => new UsageDoor(s));

    public QuotaDoor Quotas => GetService(s => new QuotaDoor(s));

    public MetricsDoor Metrics => GetService(s => new MetricsDoor(s));

    public LockDoor Locks => GetService(s => new LockDoor(s));

    /// <summary>Creates the home folder's layout if it is missing (<c>aiswitch home --create</c>).</summary>
    public void EnsureHome() => Home.EnsureCreated();

    internal AiHome Home { get; }

    /// <summary>The environment that session-level switches apply to (the process's, in a real session).</summary>
    internal IProcessEnvironment Environment { get; }

    internal TimeProvider Clock { get; }

    /// <summary>The session's single instance of an area's state, created on first use.</summary>
    internal T GetService<T>(Func<AiSession, T> factory) where T : class
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (_services.TryGetValue(typeof(T), out var existing))
        {
            return (T)existing;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            if (_services.TryGetValue(typeof(T), out existing))
            {
                return (T)existing;
            }

            var created = factory(this);
            _services[typeof(T)] = created;
            _disposalOrder.Add(created);
            return created;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        List<object> order;
        lock (_gate)
        {
            order = [.. _disposalOrder];
            order.Reverse();
        }

        List<Exception>? failures = null;
        foreach (var service in order)
        {
            try
            {
                switch (service)
                {
                    case IAsyncDisposable asyncDisposable:
                        asyncDisposable.DisposeAsync().AsTask().GetAwaiter().GetResult();
                        break;
                    case IDisposable disposable:
                        disposable.Dispose();
                        break;
                }
            }
            catch (Exception ex)
            {
                (failures ??= []).Add(ex);
            }
        }

        if (failures is not null)
        {
            throw new AggregateException("Some session resources failed to close.", failures);
        }
    }
}
