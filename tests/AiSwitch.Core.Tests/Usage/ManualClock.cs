namespace AiSwitch.Core.Tests.Usage;

/// <summary>A clock that says what the test tells it.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    // Elapsed time follows the same hands, so code that measures intervals sees what the test set.
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Now.UtcTicks;
}
