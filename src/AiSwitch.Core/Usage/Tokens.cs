namespace AiSwitch.Core.Usage;

/// <summary>Token arithmetic that cannot wrap: a sum that would pass <see cref="long.MaxValue"/> stays there.</summary>
internal static class Tokens
{
    /// <summary>
    /// The most tokens one record may claim in any field. No model call comes near it (context windows are millions of
    /// tokens), and 9 million such records still sum inside a long, so a report above it is a broken or hostile agent.
    /// </summary>
    public const long MaxPerRecord = 1_000_000_000_000;

    /// <summary>
    /// a + b for counts of 0 or more, held at <see cref="long.MaxValue"/> instead of wrapping negative: a quota compared
    /// with a wrapped sum would read as unused.
    /// </summary>
    public static long Sum(long a, long b)
    {
        var sum = unchecked(a + b);
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? long.MinValue : long.MaxValue) : sum;
    }
}
