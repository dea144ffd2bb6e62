namespace AiSwitch.Rpc;

/// <summary>A request from the peer that our handler is working on; its token is cancelled by <c>$/cancelRequest</c>.</summary>
internal sealed class IncomingRequest
{
    // Never disposed on purpose: a CancellationTokenSource without a timer or links holds nothing to free,
    // and a late $/cancelRequest may still call Cancel on it from the reading loop.
    private readonly CancellationTokenSource _cancellation = new();

    public IncomingRequest(JsonRpcId id, string method, BatchCollector? batch)
    {
        Id = id;
        Method = method;
        Batch = batch;
    }

    public JsonRpcId Id { get; }

    public string Method { get; }

    /// <summary>The batch whose response array this request's response joins; null for a lone request.</summary>
    public BatchCollector? Batch { get; }

    public CancellationToken Token => _cancellation.Token;

    public bool IsCancelled => _cancellation.IsCancellationRequested;

    public void Cancel()
    {
        // Off the reading loop: cancellation callbacks are the handler's code.
        ThreadPool.UnsafeQueueUserWorkItem(static source => source.Cancel(), _cancellation, preferLocal: false);
    }
}
