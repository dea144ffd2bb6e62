namespace AiSwitch.Core.Tests.Usage;

/// <summary>A clock that says what the test tells it.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
