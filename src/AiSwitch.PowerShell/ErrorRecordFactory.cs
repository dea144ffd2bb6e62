using System.Management.Automation;

namespace AiSwitch.PowerShell;

/// <summary>The one mapping from Core's <see cref="AiSwitchException"/> to PowerShell's ErrorRecord.</summary>
internal static class ErrorRecordFactory
{
    public static ErrorRecord Create(AiSwitchException exception, object? target = null)
        => new(exception, exception.Id.ToString(), Category(exception.Kind), target ?? exception.Target);

    public static ErrorCategory Category(ErrorKind kind) => kind switch
    {
        ErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        ErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        ErrorKind.InvalidData => ErrorCategory.InvalidData,
        ErrorKind.AlreadyExists => ErrorCategory.ResourceExists,
        ErrorKind.Conflict => ErrorCategory.ResourceBusy,
        ErrorKind.Timeout => ErrorCategory.OperationTimeout,
        ErrorKind.Unavailable => ErrorCategory.ResourceUnavailable,
        ErrorKind.LimitExceeded => ErrorCategory.LimitsExceeded,
        ErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        ErrorKind.Storage => ErrorCategory.WriteError,
        ErrorKind.Cancelled => ErrorCategory.OperationStopped,
        ErrorKind.Authentication => ErrorCategory.AuthenticationError,
        _ => ErrorCategory.NotSpecified,
    };
}
