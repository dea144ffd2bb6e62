namespace AiSwitch;

/// <summary>
/// What kind of failure an error is. The PowerShell front maps it to an ErrorCategory (ErrorRecordFactory),
/// the CLI to an exit code (see <see cref="ErrorKindExtensions.ExitCode"/>).
/// </summary>
public enum ErrorKind
{
    /// <summary>Something went wrong inside AiSwitch or an agent that the user cannot fix by changing input.</summary>
    Internal,
    /// <summary>A named thing (preset, agent, snapshot, lock, task) does not exist.</summary>
    NotFound,
    /// <summary>A value the user gave is malformed.</summary>
    InvalidArgument,
    /// <summary>A file or payload is malformed (YAML, JSON, checksum).</summary>
    InvalidData,
    /// <summary>The thing already exists.</summary>
    AlreadyExists,
    /// <summary>The operation would conflict with the current state (busy agent, held lock).</summary>
    Conflict,
    /// <summary>The operation ran out of time.</summary>
    Timeout,
    /// <summary>A resource (agent, provider, lock holder) is not reachable or has died.</summary>
    Unavailable,
    /// <summary>A limit (quota, size) has been reached.</summary>
    LimitExceeded,
    /// <summary>The operating system refused access.</summary>
    PermissionDenied,
    /// <summary>Reading or writing the home folder failed (disk full, I/O).</summary>
    Storage,
    /// <summary>The operation was cancelled by the user.</summary>
    Cancelled,
    /// <summary>A provider or agent refused the credential, or there was none (not logged in, invalid API key).</summary>
    Authentication,
}

public static class ErrorKindExtensions
{
    /// <summary>
    /// The CLI's documented exit codes (docs/cli.md). 2 is reserved for command-line usage errors.
    /// </summary>
    public static int ExitCode(this ErrorKind kind) => kind switch
    {
        ErrorKind.Internal => 1,
        ErrorKind.NotFound => 3,
        ErrorKind.InvalidArgument => 4,
        ErrorKind.InvalidData => 5,
        ErrorKind.AlreadyExists => 6,
        ErrorKind.Conflict => 7,
        ErrorKind.Timeout => 8,
        ErrorKind.Unavailable => 9,
        ErrorKind.LimitExceeded => 10,
        ErrorKind.PermissionDenied => 11,
        ErrorKind.Storage => 12,
        ErrorKind.Cancelled => 130,
        ErrorKind.Authentication => 13,
        _ => 1,
    };
}
