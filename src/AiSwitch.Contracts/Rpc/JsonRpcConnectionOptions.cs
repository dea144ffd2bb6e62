namespace AiSwitch.Rpc;

/// <summary>Limits and behaviour of one <see cref="JsonRpcConnection"/>.</summary>
public sealed class JsonRpcConnectionOptions
{
    /// <summary>16 MiB: the default limit on one message (one line).</summary>
    public const int DefaultMaxMessageBytes = 16 * 1024 * 1024;

    /// <summary>16 MiB: the default limit on messages waiting for a peer that does not read them.</summary>
    public const int DefaultMaxQueuedBytes = 16 * 1024 * 1024;

    /// <summary>
    /// The peer's name in error messages ("agent 'claude'"). Never a secret: it appears in errors and logs.
    /// </summary>
    public string PeerName { get; init; } = "peer";

    /// <summary>
    /// The longest line accepted, in bytes. A longer line is skipped up to its newline without being buffered
    /// whole, and answered with -32600; the connection stays usable. Messages we send are held to it too.
    /// </summary>
    public int MaxMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary>The deepest nesting of objects and arrays accepted in a message; deeper is a parse error.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>The most entries an incoming batch may hold; a longer batch is answered with one -32600.</summary>
    public int MaxBatchLength { get; init; } = 1024;

    /// <summary>
    /// The most bytes of messages to the peer (our calls and notifications, its answers, rejections of its bad lines)
    /// that may wait to be written because the peer is not reading its input, counted as the buffers that hold them
    /// (often several times the bytes to send). Past it the connection closes with
    /// <see cref="JsonRpcCloseReason.PeerNotReading"/>: a peer that sends requests and never reads the answers would
    /// otherwise make this process hold every answer in memory. A message that finds the queue empty is always taken
    /// however large, so one big message alone never trips it.
    /// </summary>
    public int MaxQueuedBytes { get; init; } = DefaultMaxQueuedBytes;

    /// <summary>
    /// How long a call waits for its answer when the caller names no timeout. Infinite by default: a dead
    /// peer fails calls at once anyway; a timeout only guards against a live peer that never answers.
    /// </summary>
    public TimeSpan DefaultCallTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>
    /// The notification sent when one of our calls is cancelled: <see cref="JsonRpcConnection.CancelRequestMethod"/>
    /// (LSP, StreamJsonRpc, AiSwitch agents) or <see cref="JsonRpcConnection.AcpCancelRequestMethod"/> for ACP agents.
    /// Null sends nothing (for peers with their own way to interrupt, such as Codex's <c>turn/interrupt</c>).
    /// Both are always understood when they arrive.
    /// </summary>
    public string? CancelRequestMethod { get; init; } = JsonRpcConnection.CancelRequestMethod;

    /// <summary>
    /// False (the default): each handler starts on the reading loop in arrival order and runs there until its first
    /// await, so notifications are handled in the order sent; a handler must not block before it awaits.
    /// True: handlers start on the thread pool, so a blocking handler cannot hold up the connection, but two
    /// messages' handlers may start in either order.
    /// </summary>
    public bool RunHandlersOnThreadPool { get; init; }

    /// <summary>When false (the default) disposing the connection disposes both streams, which ends a child's stdin.</summary>
    public bool LeaveOpen { get; init; }

    /// <summary>
    /// Receives one line per event worth knowing (a bad line rejected, a response nobody waited for).
    /// Lines name ids, methods and sizes, never payload contents.
    /// </summary>
    public Action<string>? Log { get; init; }
}
