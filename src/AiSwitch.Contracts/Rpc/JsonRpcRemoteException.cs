using System.Text.Json;

namespace AiSwitch.Rpc;

/// <summary>
/// The error object a peer answered with, exactly as it came: code, message and data. Calls throw an
/// <see cref="AiSwitchException"/> whose inner exception is this one.
/// </summary>
public sealed class JsonRpcRemoteException : Exception
{
    public JsonRpcRemoteException(int code, string message, JsonElement? data = null)
        : base(message)
    {
        Code = code;
        ErrorData = data;
    }

    public int Code { get; }

    /// <summary>The error's <c>data</c> member, detached from the message buffer; null when absent.</summary>
    public JsonElement? ErrorData { get; }

    public override string ToString() => $"JSON-RPC error {Code}: {Message}";
}
