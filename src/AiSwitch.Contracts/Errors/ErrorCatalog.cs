namespace AiSwitch;

/// <summary>
/// The numeric code and the kind of every <see cref="ErrorId"/>. Each code belongs to one id. The ids seed 003 names carry
/// its codes (-40001 … -40405 and the JSON-RPC standard ones), and only they do; every other id has an AiSwitch code in
/// -41000 … -41999, whose hundreds follow the seed's areas (-410xx agents, -411xx tasks, -412xx presets and environments,
/// -413xx coordination, -414xx system) and go on with -415xx JSON-RPC connections, -416xx usage and metrics, -417xx model
/// providers and -419xx general. -32800 is LSP's and ACP's request-cancelled code. docs/errors.md is the table.
/// </summary>
public static class ErrorCatalog
{
    public static int Code(this ErrorId id) => Entry(id).Code;

    public static ErrorKind Kind(this ErrorId id) => Entry(id).Kind;

    private static (int Code, ErrorKind Kind) Entry(ErrorId id) => id switch
    {
        ErrorId.InternalError => (-32603, ErrorKind.Internal),
        ErrorId.InvalidArgument => (-41901, ErrorKind.InvalidArgument),
        ErrorId.OperationCancelled => (-41902, ErrorKind.Cancelled),

        ErrorId.AgentNotFound => (-40001, ErrorKind.NotFound),
        ErrorId.AgentAlreadyExists => (-40002, ErrorKind.AlreadyExists),
        ErrorId.AgentInitializationFailed => (-40003, ErrorKind.Unavailable),
        ErrorId.AgentNotResponding => (-40004, ErrorKind.Unavailable),
        ErrorId.AgentBusy => (-40005, ErrorKind.Conflict),
        ErrorId.AgentDefinitionInvalid => (-41001, ErrorKind.InvalidData),
        ErrorId.InvalidAgentName => (-41002, ErrorKind.InvalidArgument),
        ErrorId.AgentProtocolViolation => (-41003, ErrorKind.InvalidData),
        ErrorId.AgentAuthenticationFailed => (-41006, ErrorKind.Authentication),
        ErrorId.AgentCommandNotFound => (-41007, ErrorKind.NotFound),
        ErrorId.AgentCrashed => (-41008, ErrorKind.Unavailable),
        ErrorId.AgentReportedFailure => (-41009, ErrorKind.Internal),
        ErrorId.AgentCircuitOpen => (-41010, ErrorKind.Unavailable),

        ErrorId.TaskNotFound => (-40101, ErrorKind.NotFound),
        ErrorId.TaskAlreadyExists => (-40102, ErrorKind.AlreadyExists),
        ErrorId.TaskTimeout => (-40103, ErrorKind.Timeout),
        ErrorId.TaskCancelled => (-40104, ErrorKind.Cancelled),
        ErrorId.TaskDependenciesNotMet => (-40105, ErrorKind.Conflict),
        ErrorId.TaskStillRunning => (-41106, ErrorKind.Conflict),
        ErrorId.TaskOwnerDied => (-41107, ErrorKind.Unavailable),

        ErrorId.PresetNotFound => (-40201, ErrorKind.NotFound),
        ErrorId.PresetAlreadyExists => (-41201, ErrorKind.AlreadyExists),
        ErrorId.InvalidPresetName => (-41202, ErrorKind.InvalidArgument),
        ErrorId.InvalidVariableName => (-41203, ErrorKind.InvalidArgument),
        ErrorId.PresetFileInvalid => (-41204, ErrorKind.InvalidData),
        ErrorId.ReferenceUnresolved => (-41205, ErrorKind.NotFound),
        ErrorId.EnvironmentSwitchFailed => (-40202, ErrorKind.Internal),
        ErrorId.SnapshotNotFound => (-40203, ErrorKind.NotFound),
        ErrorId.SnapshotAlreadyExists => (-41206, ErrorKind.AlreadyExists),
        ErrorId.SnapshotChecksumMismatch => (-41207, ErrorKind.InvalidData),
        ErrorId.RollbackFailed => (-40204, ErrorKind.Internal),
        ErrorId.EnvironmentValidationFailed => (-40205, ErrorKind.InvalidArgument),
        ErrorId.ProjectPinInvalid => (-41208, ErrorKind.InvalidData),
        ErrorId.NoProjectPin => (-41209, ErrorKind.NotFound),
        ErrorId.ProjectPinNotAllowed => (-41210, ErrorKind.PermissionDenied),
        ErrorId.PresetImportSourceNotFound => (-41211, ErrorKind.NotFound),

        ErrorId.LockAcquisitionFailed => (-40301, ErrorKind.Conflict),
        ErrorId.LockNotFound => (-40302, ErrorKind.NotFound),
        ErrorId.LockTimeout => (-40303, ErrorKind.Timeout),
        ErrorId.InvalidLockName => (-41301, ErrorKind.InvalidArgument),
        ErrorId.CoordinationConflict => (-40304, ErrorKind.Conflict),
        ErrorId.ResourceContention => (-40305, ErrorKind.Conflict),

        ErrorId.InsufficientResources => (-40401, ErrorKind.LimitExceeded),
        ErrorId.PermissionDenied => (-40402, ErrorKind.PermissionDenied),
        ErrorId.ConfigurationError => (-40403, ErrorKind.InvalidData),
        ErrorId.StorageError => (-40404, ErrorKind.Storage),
        ErrorId.StateFileCorrupt => (-41401, ErrorKind.InvalidData),
        ErrorId.StateFileTooNew => (-41402, ErrorKind.InvalidData),
        ErrorId.NetworkError => (-40405, ErrorKind.Unavailable),

        ErrorId.RpcParseError => (-32700, ErrorKind.InvalidData),
        ErrorId.RpcInvalidRequest => (-32600, ErrorKind.InvalidData),
        ErrorId.RpcMethodNotFound => (-32601, ErrorKind.NotFound),
        ErrorId.RpcInvalidParams => (-32602, ErrorKind.InvalidArgument),
        ErrorId.RpcRequestCancelled => (-32800, ErrorKind.Cancelled),
        ErrorId.RpcTimeout => (-41501, ErrorKind.Timeout),
        ErrorId.RpcRemoteError => (-41502, ErrorKind.Internal),
        ErrorId.RpcInvalidResponse => (-41503, ErrorKind.InvalidData),
        ErrorId.RpcMessageTooLarge => (-41504, ErrorKind.LimitExceeded),
        ErrorId.ProtocolVersionMismatch => (-41505, ErrorKind.InvalidData),

        ErrorId.QuotaExceeded => (-41601, ErrorKind.LimitExceeded),
        ErrorId.QuotaNotFound => (-41602, ErrorKind.NotFound),
        ErrorId.UsageConfigInvalid => (-41603, ErrorKind.InvalidData),
        ErrorId.UsageImportSourceNotFound => (-41604, ErrorKind.NotFound),
        ErrorId.MetricsPortUnavailable => (-41605, ErrorKind.Unavailable),
        ErrorId.ProviderRateLimited => (-41701, ErrorKind.LimitExceeded),
        ErrorId.ProviderOverloaded => (-41702, ErrorKind.Unavailable),
        ErrorId.ProviderRequestFailed => (-41703, ErrorKind.Internal),

        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "Every ErrorId needs an entry in ErrorCatalog."),
    };
}
