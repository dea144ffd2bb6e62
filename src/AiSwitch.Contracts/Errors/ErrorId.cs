namespace AiSwitch;

/// <summary>
/// Every error AiSwitch reports has one of these ids. Ids are never renamed or renumbered:
/// scripts match on them (PowerShell's FullyQualifiedErrorId starts with the id).
/// Each id carries its own numeric code (seed 003's where the seed names the error) and a kind; see <see cref="ErrorCatalog"/>.
/// New ids are appended within their area.
/// </summary>
public enum ErrorId
{
    // General
    InternalError,
    InvalidArgument,
    OperationCancelled,

    // Agents (-40001 … -40005; AiSwitch's own -41001 …)
    AgentNotFound,
    AgentAlreadyExists,
    AgentInitializationFailed,
    AgentNotResponding,
    AgentBusy,
    AgentDefinitionInvalid,
    InvalidAgentName,
    AgentProtocolViolation,
    AgentAuthenticationFailed,
    AgentCommandNotFound,
    AgentCrashed,
    AgentReportedFailure,
    AgentCircuitOpen,

    // Tasks (-40101 … -40105; -41106 …)
    TaskNotFound,
    TaskAlreadyExists,
    TaskTimeout,
    TaskCancelled,
    TaskDependenciesNotMet,
    TaskStillRunning,
    TaskOwnerDied,

    // Presets and environments (-40201 … -40205; -41201 …)
    PresetNotFound,
    PresetAlreadyExists,
    InvalidPresetName,
    InvalidVariableName,
    PresetFileInvalid,
    ReferenceUnresolved,
    EnvironmentSwitchFailed,
    SnapshotNotFound,
    SnapshotAlreadyExists,
    SnapshotChecksumMismatch,
    RollbackFailed,
    EnvironmentValidationFailed,
    ProjectPinInvalid,
    NoProjectPin,
    ProjectPinNotAllowed,
    PresetImportSourceNotFound,

    // Coordination and locks (-40301 … -40305; -41301 …)
    LockAcquisitionFailed,
    LockNotFound,
    LockTimeout,
    InvalidLockName,
    CoordinationConflict,
    ResourceContention,

    // System (-40401 … -40405; -41401 …)
    InsufficientResources,
    PermissionDenied,
    ConfigurationError,
    StorageError,
    StateFileCorrupt,
    StateFileTooNew,
    NetworkError,

    // JSON-RPC connection (Rpc area): the standard codes, plus the failures a call can meet on the wire
    RpcParseError,
    RpcInvalidRequest,
    RpcMethodNotFound,
    RpcInvalidParams,
    RpcRequestCancelled,
    RpcTimeout,
    RpcRemoteError,
    RpcInvalidResponse,
    RpcMessageTooLarge,
    ProtocolVersionMismatch,

    // Usage and metrics: the token ledger, pricing, quotas, alerts, imports and metrics (-41601 …)
    QuotaExceeded,
    QuotaNotFound,
    UsageConfigInvalid,
    UsageImportSourceNotFound,
    MetricsPortUnavailable,

    // Model providers behind the HTTP adapters (anthropic, openai)
    ProviderRateLimited,
    ProviderOverloaded,
    ProviderRequestFailed,
}
