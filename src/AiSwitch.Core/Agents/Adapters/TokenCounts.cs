namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// Token figures in AiSwitch's one meaning per field (docs/usage.md): <see cref="Input"/> is every input token, cache
/// reads and writes included; <see cref="CacheRead"/>, <see cref="CacheWrite"/> (5-minute and 1-hour) and
/// <see cref="CacheWrite1h"/> (the 1-hour part) are parts of it. <see cref="Output"/> is every output token;
/// <see cref="Reasoning"/> is the part of it spent on hidden reasoning. Each parser maps its agent's fields here.
/// </summary>
internal readonly record struct TokenCounts(long Input, long Output, long CacheRead, long CacheWrite, long Reasoning, long CacheWrite1h = 0)
{
    public static readonly TokenCounts Zero = default;

    public long Total => Input + Output;

    /// <summary>
    /// This cumulative figure minus an earlier cumulative figure of the same thread or process. When any field went
    /// down, the earlier figure belonged to another thread (the agent started afresh), so this figure is returned whole.
    /// </summary>
    public TokenCounts Since(TokenCounts earlier)
    {
        if (Input < earlier.Input || Output < earlier.Output || CacheRead < earlier.CacheRead
            || CacheWrite < earlier.CacheWrite || Reasoning < earlier.Reasoning || CacheWrite1h < earlier.CacheWrite1h)
        {
            return this;
        }

        return new TokenCounts(Input - earlier.Input, Output - earlier.Output, CacheRead - earlier.CacheRead,
            CacheWrite - earlier.CacheWrite, Reasoning - earlier.Reasoning, CacheWrite1h - earlier.CacheWrite1h);
    }
}
