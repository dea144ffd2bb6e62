namespace AiSwitch;

/// <summary>What an owner record says about its lock.</summary>
// long-based so that ConvertTo-Json writes the name, not a number (see TaskState).
public enum LockState : long
{
    /// <summary>The owner is alive and holds the lock.</summary>
    Held,

    /// <summary>The owner is gone (its process exited, or its pid now belongs to another process) or the lock is no longer held; Clear-AiStaleLock removes the record.</summary>
    Stale,

    /// <summary>The owner is alive and holds the lock past the expiry it asked for. A warning, not a broken lock: it is kept until its holder releases it.</summary>
    Expired,
}
