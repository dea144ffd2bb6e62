using System.Collections.Concurrent;

namespace AiSwitch.Core.Hosting;

/// <summary>
/// The one sync-over-async boundary. Runs Core's async work on the thread pool while the calling thread
/// (PowerShell's pipeline thread, or the CLI's main thread) drains a queue and performs every
/// Write*/ShouldProcess call itself. Nothing reaches the sink from another thread, and nothing reaches it
/// after Run returns.
/// </summary>
public static class PipelineBridge
{
    /// <summary>How long a cancelled operation may take to wind down before the caller stops waiting for it.</summary>
    public static TimeSpan CancellationGrace { get; set; } = TimeSpan.FromSeconds(5);

    public static void Run(IOperationSink sink, Func<IOperationContext, CancellationToken, Task> work, CancellationToken cancellationToken)
        => Run<object?>(sink, async (context, ct) => { await work(context, ct).ConfigureAwait(false); return null; }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> and returns its value on the caller's thread. When the sink throws (PowerShell's
    /// -ErrorAction Stop on a written error, or a stopped pipeline), the work is cancelled and given the grace period to
    /// wind down, so no agent keeps running for a command that has ended.
    /// </summary>
    public static T Run<T>(IOperationSink sink, Func<IOperationContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        using var queue = new BlockingCollection<Action<IOperationSink>>();
        using var abandoned = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var context = new QueuedContext(queue);
        var task = Task.Run(async () =>
        {
            try
            {
                return await work(context, abandoned.Token).ConfigureAwait(false);
            }
            finally
            {
                context.Close();
            }
        }, CancellationToken.None);

        try
        {
            Drain(queue, sink, task, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            abandoned.Cancel();
            task.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default).Wait(CancellationGrace);
            throw;
        }

        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested && ex.CancellationToken != cancellationToken)
        {
            // The work saw the linked token; the caller cancelled with its own.
            throw new OperationCanceledException(ex.Message, ex, cancellationToken);
        }
    }

    /// <summary>Runs a stream of results, writing each item to the sink as soon as it exists.</summary>
    public static void RunStream<T>(IOperationSink sink, Func<IOperationContext, CancellationToken, IAsyncEnumerable<T>> work, CancellationToken cancellationToken)
        => RunStream(sink, work, (s, item) => s.WriteObject(item!), cancellationToken);

    /// <summary>Runs a stream of results, handing each to <paramref name="write"/> on the caller's thread as soon as it exists.</summary>
    public static void RunStream<T>(IOperationSink sink, Func<IOperationContext, CancellationToken, IAsyncEnumerable<T>> work, Action<IOperationSink, T> write,
        CancellationToken cancellationToken)
    {
        Run(sink, async (context, ct) =>
        {
            var queued = (QueuedContext)context;
            await foreach (var item in work(context, ct).WithCancellation(ct).ConfigureAwait(false))
            {
                if (item is not null)
                {
                    queued.Post(s => write(s, item));
                }
            }
        }, cancellationToken);
    }

    private static void Drain(BlockingCollection<Action<IOperationSink>> queue, IOperationSink sink, Task work, CancellationToken cancellationToken)
    {
        var cancelledAt = (DateTime?)null;
        while (!queue.IsCompleted)
        {
            Action<IOperationSink>? message;
            try
            {
                if (!queue.TryTake(out message, 100))
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        cancelledAt ??= DateTime.UtcNow;
                        if (DateTime.UtcNow - cancelledAt > CancellationGrace)
                        {
                            // The work ignores its token; stop waiting so Ctrl+C is honoured. Its later messages are dropped.
                            queue.CompleteAdding();
                            throw new OperationCanceledException(cancellationToken);
                        }
                    }

                    continue;
                }
            }
            catch (InvalidOperationException)
            {
                break; // completed while waiting
            }

            message(sink);
        }

        try
        {
            work.Wait(cancellationToken.IsCancellationRequested ? CancellationGrace : Timeout.InfiniteTimeSpan);
        }
        catch (AggregateException)
        {
            // Observed by the caller through GetResult, which unwraps it.
        }
    }

    private sealed class QueuedContext : IOperationContext
    {
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);
        private readonly BlockingCollection<Action<IOperationSink>> _queue;
        private readonly ConcurrentDictionary<int, DateTime> _lastProgress = new();

        public QueuedContext(BlockingCollection<Action<IOperationSink>> queue) => _queue = queue;

        public void Post(Action<IOperationSink> message)
        {
            try
            {
                _queue.Add(message);
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
                // The caller has stopped listening (cancelled past the grace period); drop it.
            }
        }

        public void Close()
        {
            try
            {
                _queue.CompleteAdding();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        public void WriteVerbose(string message) => Post(s => s.WriteVerbose(message));

        public void WriteWarning(string message) => Post(s => s.WriteWarning(message));

        public void WriteError(AiSwitchException error) => Post(s => s.WriteError(error));

        public void WriteProgress(OperationProgress progress)
        {
            var now = DateTime.UtcNow;
            if (!progress.Completed
                && _lastProgress.TryGetValue(progress.ActivityId, out var last)
                && now - last < ProgressInterval)
            {
                return;
            }

            _lastProgress[progress.ActivityId] = now;
            Post(s => s.WriteProgress(progress));
        }

        public async ValueTask<bool> ShouldProcessAsync(string target, string action, CancellationToken cancellationToken = default)
        {
            var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var registration = cancellationToken.Register(() => answer.TrySetCanceled(cancellationToken));
            Post(s =>
            {
                try
                {
                    answer.TrySetResult(s.ShouldProcess(target, action));
                }
                catch (Exception ex)
                {
                    // PowerShell throws here when the user answers "No to All" with -Confirm, or stops the pipeline.
                    answer.TrySetException(ex);
                }
            });
            return await answer.Task.ConfigureAwait(false);
        }
    }
}
