
namespace AiSwitch.Rpc;

/// <summary>
/// The JSON-RPC 2.0 standard codes, the request-cancelled code shared by LSP and ACP, and the map from a
/// code a peer answers with to the <see cref="ErrorId"/> a caller sees.
/// </summary>
public static class JsonRpcErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;

    /// <summary>A request the caller cancelled (LSP's and ACP's RequestCancelled).</summary>
    public const int RequestCancelled = -32800;

    /// <summary>
    /// The id for a remote error. An AiSwitch peer names its id in <c>data.error_id</c>; that wins when its
    /// code agrees. Otherwise the code picks the id seed 003 names for it; unknown codes are RpcRemoteError.
    /// </summary>
    public static ErrorId ToErrorId(int code, string? errorIdName = null)
    {
        if (errorIdName is not null
            && Enum.TryParse<ErrorId>(errorIdName, ignoreCase: false, out var named)
            && Enum.IsDefined(named)
            && named.Code() == code)
        {
            return named;
        }

        return code switch
        {
            ParseError => ErrorId.RpcParseError,
            InvalidRequest => ErrorId.RpcInvalidRequest,
            MethodNotFound => ErrorId.RpcMethodNotFound,
            InvalidParams => ErrorId.RpcInvalidParams,
            RequestCancelled => ErrorId.RpcRequestCancelled,

            -40001 => ErrorId.AgentNotFound,
            -40002 => ErrorId.AgentAlreadyExists,
            -40003 => ErrorId.AgentInitializationFailed,
            -40004 => ErrorId.AgentNotResponding,
            -40005 => ErrorId.AgentBusy,

            -40101 => ErrorId.TaskNotFound,
            -40102 => ErrorId.TaskAlreadyExists,
            -40103 => ErrorId.TaskTimeout,
            -40104 => ErrorId.TaskCancelled,
            -40105 => ErrorId.TaskDependenciesNotMet,

            -40201 => ErrorId.PresetNotFound,
            -40202 => ErrorId.EnvironmentSwitchFailed,
            -40203 => ErrorId.SnapshotNotFound,
            -40204 => ErrorId.RollbackFailed,
            -40205 => ErrorId.EnvironmentValidationFailed,

            -40301 => ErrorId.LockAcquisitionFailed,
            -40302 => ErrorId.LockNotFound,
            -40303 => ErrorId.LockTimeout,
            -40304 => ErrorId.CoordinationConflict,
            -40305 => ErrorId.ResourceContention,

            -40401 => ErrorId.InsufficientResources,
            -40402 => ErrorId.PermissionDenied,
            -40403 => ErrorId.ConfigurationError,
            -40404 => ErrorId.StorageError,
            -40405 => ErrorId.NetworkError,

            _ => ErrorId.RpcRemoteError,
        };
    }
}
