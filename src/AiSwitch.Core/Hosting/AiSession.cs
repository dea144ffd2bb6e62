using System.Collections.Concurrent;
using AiSwitch.Core.Environments;
using AiSwitch.Core.Home;

namespace AiSwitch.Core.Hosting;

/// <summary>
/// One per PowerShell runspace and one per CLI process. Areas attach their per-session state to it
/// (held locks, the agent registry…) with <see cref="GetService{T}"/>; disposing the session disposes
/// them in reverse order, so locks are released and child processes stopped when the runspace closes.
/// </summary>
public sealed class AiSession : IDisposable
{
    private readonly ConcurrentDictionary<Type, object> _services = new();
    private readonly List<object> _disposalOrder = [];
    private readonly object _gate = new();
    private int _disposed;

    public AiSession(AiHome home, IProcessEnvironment environment, TimeProvider? clock = null)
    {
        Home = home;
        Environment = environment;
        Clock = clock ?? TimeProvider.System;
    }

    /// <summary>A session for this process: home from AISWITCH_HOME or ~/.aiswitch, the real environment and clock.</summary>
    public static AiSession CreateDefault() => new(AiHome.FromEnvironment(), ProcessEnvironment.Instance);

    public Guid Id { get; } = Guid.NewGuid();

    public AiHome Home { get; }

    /// <summary>The environment that session-level switches apply to (the process's, in a real session).</summary>
    public IProcessEnvironment Environment { get; }

    public TimeProvider Clock { get; }

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>The session's single instance of an area's state, created on first use.</summary>
    public T GetService<T>(Func<AiSession, T> factory) where T : class
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
