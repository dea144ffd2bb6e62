namespace AiSwitch;

/// <summary>The seed 003 numeric code and the kind of every <see cref="ErrorId"/>.</summary>
public static class ErrorCatalog
{
    public static int Code(this ErrorId id) => Entry(id).Code;

    public static ErrorKind Kind(this ErrorId id) => Entry(id).Kind;

    private static (int Code, ErrorKind Kind) Entry(ErrorId id) => id switch
    {
        ErrorId.InternalError => (-32603, ErrorKind.Internal),
        ErrorId.InvalidArgument => (-32602, ErrorKind.InvalidArgument),
        ErrorId.OperationCancelled => (-40104, ErrorKind.Cancelled),

        ErrorId.AgentNotFound => (-40001, ErrorKind.NotFound),
        ErrorId.AgentAlreadyExists => (-40002, ErrorKind.AlreadyExists),
        ErrorId.AgentInitializationFailed => (-40003, ErrorKind.Unavailable),
        ErrorId.AgentNotResponding => (-40004, ErrorKind.Unavailable),
        ErrorId.AgentBusy => (-40005, ErrorKind.Conflict),
        ErrorId.AgentDefinitionInvalid => (-40403, ErrorKind.InvalidData),
        ErrorId.InvalidAgentName => (-40003, ErrorKind.InvalidArgument),
        ErrorId.AgentProtocolViolation => (-40004, ErrorKind.InvalidData),
        ErrorId.AgentAuthenticationFailed => (-40006, ErrorKind.Authentication),
        ErrorId.AgentCommandNotFound => (-40007, ErrorKind.NotFound),
        ErrorId.AgentCrashed => (-40008, ErrorKind.Unavailable),
        ErrorId.AgentReportedFailure => (-40009, ErrorKind.Internal),
        ErrorId.AgentCircuitOpen => (-41010, ErrorKind.Unavailable),

        ErrorId.TaskNotFound => (-40101, ErrorKind.NotFound),
        ErrorId.TaskAlreadyExists => (-40102, ErrorKind.AlreadyExists),
        ErrorId.TaskTimeout => (-40103, ErrorKind.Timeout),
        ErrorId.TaskCancelled => (-40104, ErrorKind.Cancelled),
        ErrorId.TaskDependenciesNotMet => (-40105, ErrorKind.Conflict),
        ErrorId.TaskStillRunning => (-40106, ErrorKind.Conflict),
        ErrorId.TaskOwnerDied => (-40107, ErrorKind.Unavailable),

        ErrorId.PresetNotFound => (-40201, ErrorKind.NotFound),
        ErrorId.PresetAlreadyExists => (-40403, ErrorKind.AlreadyExists),
        ErrorId.InvalidPresetName => (-40205, ErrorKind.InvalidArgument),
        ErrorId.InvalidVariableName => (-40205, ErrorKind.InvalidArgument),
        ErrorId.PresetFileInvalid => (-40403, ErrorKind.InvalidData),
        ErrorId.ReferenceUnresolved => (-40205, ErrorKind.NotFound),
        ErrorId.EnvironmentSwitchFailed => (-40202, ErrorKind.Internal),
        ErrorId.SnapshotNotFound => (-40203, ErrorKind.NotFound),
        ErrorId.SnapshotAlreadyExists => (-40203, ErrorKind.AlreadyExists),
        ErrorId.SnapshotChecksumMismatch => (-40204, ErrorKind.InvalidData),
        ErrorId.RollbackFailed => (-40204, ErrorKind.Internal),
        ErrorId.EnvironmentValidationFailed => (-40205, ErrorKind.InvalidArgument),
        ErrorId.ProjectPinInvalid => (-40403, ErrorKind.InvalidData),
        ErrorId.NoProjectPin => (-40201, ErrorKind.NotFound),
        ErrorId.ProjectPinNotAllowed => (-40402, ErrorKind.PermissionDenied),
        ErrorId.PresetImportSourceNotFound => (-40201, ErrorKind.NotFound),

        ErrorId.LockAcquisitionFailed => (-40301, ErrorKind.Conflict),
        ErrorId.LockNotFound => (-40302, ErrorKind.NotFound),
        ErrorId.LockTimeout => (-40303, ErrorKind.Timeout),
        ErrorId.InvalidLockName => (-40301, ErrorKind.InvalidArgument),
        ErrorId.CoordinationConflict => (-40304, ErrorKind.Conflict),
        ErrorId.ResourceContention => (-40305, ErrorKind.Conflict),

        ErrorId.InsufficientResources => (-40401, ErrorKind.LimitExceeded),
        ErrorId.PermissionDenied => (-40402, ErrorKind.PermissionDenied),
        ErrorId.ConfigurationError => (-40403, ErrorKind.InvalidData),
        ErrorId.StorageError => (-40404, ErrorKind.Storage),
        ErrorId.StateFileCorrupt => (-40404, ErrorKind.InvalidData),
        ErrorId.StateFileTooNew => (-40404, ErrorKind.InvalidData),
        ErrorId.NetworkError => (-40405, ErrorKind.Unavailable),

        ErrorId.RpcParseError => (-32700, ErrorKind.InvalidData),
        ErrorId.RpcInvalidRequest => (-32600, ErrorKind.InvalidData),
        ErrorId.RpcMethodNotFound => (-32601, ErrorKind.NotFound),
        ErrorId.RpcInvalidParams => (-32602, ErrorKind.InvalidArgument),
        ErrorId.RpcRequestCancelled => (-32800, ErrorKind.Cancelled),
        ErrorId.RpcTimeout => (-40004, ErrorKind.Timeout),
        ErrorId.RpcRemoteError => (-32603, ErrorKind.Internal),
        ErrorId.RpcInvalidResponse => (-32603, ErrorKind.InvalidData),
        ErrorId.RpcMessageTooLarge => (-32600, ErrorKind.LimitExceeded),
        ErrorId.ProtocolVersionMismatch => (-40003, ErrorKind.InvalidData),

        ErrorId.QuotaExceeded => (-40401, ErrorKind.LimitExceeded),
        ErrorId.QuotaNotFound => (-40403, ErrorKind.NotFound),
        ErrorId.UsageConfigInvalid => (-40403, ErrorKind.InvalidData),
        ErrorId.UsageImportSourceNotFound => (-40404, ErrorKind.NotFound),
        ErrorId.MetricsPortUnavailable => (-40401, ErrorKind.Unavailable),
        ErrorId.ProviderRateLimited => (-40305, ErrorKind.LimitExceeded),
        ErrorId.ProviderOverloaded => (-40405, ErrorKind.Unavailable),
        ErrorId.ProviderRequestFailed => (-40405, ErrorKind.Internal),

        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "Every ErrorId needs an entry in ErrorCatalog."),
    };
}
