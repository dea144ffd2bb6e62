namespace AiSwitch.MockProvider;

/// <summary>The recorded requests, and waiters for requests not yet arrived.</summary>
internal sealed class RequestLog
{
    private readonly object gate = new();
    private readonly List<RecordedRequest> requests = [];
    private readonly List<(Func<RecordedRequest, bool> Match, TaskCompletionSource<RecordedRequest> Done)> waiters = [];
    private int sequence;

    public int NextSequence() => Interlocked.Increment(ref this.sequence);

    public void Add(RecordedRequest request)
    {
        List<TaskCompletionSource<RecordedRequest>> matched = [];
        lock (this.gate)
        {
            this.requests.Add(request);
            for (var i = this.waiters.Count - 1; i >= 0; i--)
            {
                if (this.waiters[i].Match(request))
                {
                    matched.Add(this.waiters[i].Done);
                    this.waiters.RemoveAt(i);
                }
            }
        }

        foreach (var done in matched)
        {
            done.TrySetResult(request);
        }
    }

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (this.gate)
        {
            return [.. this.requests];
        }
    }

    public void Clear()
    {
        lock (this.gate)
        {
            this.requests.Clear();
        }
    }

    public async Task<RecordedRequest> WaitAsync(Func<RecordedRequest, bool> match, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<RecordedRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (this.gate)
        {
            var existing = this.requests.FirstOrDefault(match);
            if (existing is not null)
            {
                return existing;
            }

            this.waiters.Add((match, done));
        }

        using (cancellationToken.Register(() => done.TrySetCanceled(cancellationToken)))
        {
            try
            {
                return await done.Task;
            }
            finally
            {
                lock (this.gate)
                {
                    this.waiters.RemoveAll(waiter => waiter.Done == done);
                }
            }
        }
    }
}
