namespace AiSwitch.Rpc;

/// <summary>Why a <see cref="JsonRpcConnection"/> closed.</summary>
public enum JsonRpcCloseReason
{
    /// <summary>We disposed the connection.</summary>
    Disposed,

    /// <summary>The peer closed its output (end of stream): it exited or closed its stdout.</summary>
    PeerClosed,

    /// <summary>Reading from the peer failed (broken pipe, I/O error).</summary>
    ReadFailed,

    /// <summary>Writing to the peer failed (it closed its input or died).</summary>
    WriteFailed,

    /// <summary><see cref="JsonRpcConnection.Abort"/> was called: something outside the connection knows the peer is gone.</summary>
    Aborted,

    /// <summary>
    /// The peer did not read what was sent to it: more than <see cref="JsonRpcConnectionOptions.MaxQueuedBytes"/>
    /// of messages were waiting to be written.
    /// </summary>
    PeerNotReading,
}

/// <summary>The outcome of <see cref="JsonRpcConnection.Completion"/>.</summary>
public sealed class JsonRpcCloseInfo
{
    public JsonRpcCloseInfo(JsonRpcCloseReason reason, string message, Exception? exception = null)
    {
        Reason = reason;
        Message = message;
        Exception = exception;
    }

    public JsonRpcCloseReason Reason { get; }

    /// <summary>A sentence for users: what happened to the connection.</summary>
    public string Message { get; }

    /// <summary>The I/O exception behind <see cref="JsonRpcCloseReason.ReadFailed"/> or <see cref="JsonRpcCloseReason.WriteFailed"/>.</summary>
    public Exception? Exception { get; }

    public override string ToString() => $"{Reason}: {Message}";
}
