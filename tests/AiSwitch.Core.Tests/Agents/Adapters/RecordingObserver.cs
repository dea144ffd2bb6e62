using System.Collections.Concurrent;
using AiSwitch.Core.Agents;

namespace AiSwitch.Core.Tests.Agents.Adapters;

/// <summary>Records what an adapter reports while a task runs; <see cref="FirstToken"/> lets a test wait for the stream to begin.</summary>
internal sealed class RecordingObserver : IAgentRunObserver
{
    private readonly TaskCompletionSource _firstToken = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int?> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _seen = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<double> _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _firstTokens;

    public ConcurrentQueue<string> DeltaQueue { get; } = new();

    public ConcurrentQueue<string> Events { get; } = new();

    public ConcurrentQueue<double> Progress { get; } = new();

    /// <summary>The first progress reported.</summary>
    public Task<double> FirstProgress => _progress.Task;

    public IReadOnlyList<string> Deltas => [.. DeltaQueue];

    public int FirstTokens => Volatile.Read(ref _firstTokens);

    public Task FirstToken => _firstToken.Task;

    public Task<int?> Started => _started.Task;

    public void OnStarted(int? pid) => _started.TrySetResult(pid);

    public void OnFirstToken()
    {
        Interlocked.Increment(ref _firstTokens);
        _firstToken.TrySetResult();
    }

    public void OnText(string delta) => DeltaQueue.Enqueue(delta);

    public void OnEvent(string kind)
    {
        Events.Enqueue(kind);
        Seen(kind).TrySetResult();
    }

    public void OnProgress(double percent)
    {
        Progress.Enqueue(percent);
        _progress.TrySetResult(percent);
    }

    /// <summary>Completes when an event of this kind has been reported (at once if it already was).</summary>
    public Task WaitForEventAsync(string kind) => Seen(kind).Task.WaitAsync(TimeSpan.FromSeconds(20));

    private TaskCompletionSource Seen(string kind) => _seen.GetOrAdd(kind, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
