namespace AiSwitch.Rpc;

/// <summary>
/// Gathers the responses to one incoming batch and sends them as one array once the last handler has
/// answered. A batch of notifications only gets no answer at all (JSON-RPC 2.0 §6).
/// </summary>
internal sealed class BatchCollector
{
    private readonly JsonRpcConnection _connection;
    private readonly List<PooledBuffer> _responses = [];

    // One for the scan of the batch itself, so the array cannot go out before every entry has been seen.
    private int _outstanding = 1;

    public BatchCollector(JsonRpcConnection connection)
    {
        _connection = connection;
    }

    public void Expect() => Interlocked.Increment(ref _outstanding);

    /// <summary>Adds a response that is ready now, while the batch is being scanned.</summary>
    public void Add(PooledBuffer response)
    {
        lock (_responses)
        {
            _responses.Add(response);
        }
    }

    /// <summary>Settles one expected entry (with its response, or null for none).</summary>
    public void Complete(PooledBuffer? response)
    {
        if (response is not null)
        {
            Add(response);
        }

        if (Interlocked.Decrement(ref _outstanding) == 0)
        {
            Send();
        }
    }

    public void EndOfScan() => Complete(null);

    private void Send()
    {
        // Every entry is settled, so nothing else touches the list now.
        if (_responses.Count == 0)
        {
            return;
        }

        var message = PooledBuffer.JoinArray(_responses);
        _connection.Enqueue(message);
    }
}
