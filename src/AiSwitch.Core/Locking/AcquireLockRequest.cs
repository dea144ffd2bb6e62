namespace AiSwitch.Core.Locking;

/// <summary>What Lock-AiResource and <c>aiswitch lock run</c> ask for (seed 003 AcquireLockParams).</summary>
public sealed class AcquireLockRequest
{
    public AcquireLockRequest(string name) => Name = name;

    public string Name { get; }

    public LockMode Mode { get; init; } = LockMode.Exclusive;

    /// <summary>How long to wait for the lock; zero tries once. Null means <see cref="LockOperations.DefaultTimeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How long the holder expects to keep it; after that Get-AiLock reports it as Expired. Null for no expiry.</summary>
    public TimeSpan? Expiry { get; init; }
}
