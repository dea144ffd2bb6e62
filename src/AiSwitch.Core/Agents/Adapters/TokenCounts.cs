namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// Token figures in AiSwitch's normalized fields. Each adapter's page in docs/adapters says how its agent's fields map
/// here (for example Codex's input count includes the cached tokens; Claude's does not).
/// </summary>
internal readonly record struct TokenCounts(long Input, long Output, long CacheRead, long CacheWrite, long Reasoning)
{
    public static readonly TokenCounts Zero = default;

    public long Total => Input + Output + CacheRead + CacheWrite;

    /// <summary>
    /// This cumulative figure minus an earlier cumulative figure of the same thread or process. When any field went
    /// down, the earlier figure belonged to another thread (the agent started afresh), so this figure is returned whole.
    /// </summary>
    public TokenCounts Since(TokenCounts earlier)
    {
        if (Input < earlier.Input || Output < earlier.Output || CacheRead < earlier.CacheRead
            || CacheWrite < earlier.CacheWrite || Reasoning < earlier.Reasoning)
        {
            return this;
        }

        return new TokenCounts(Input - earlier.Input, Output - earlier.Output, CacheRead - earlier.CacheRead,
            CacheWrite - earlier.CacheWrite, Reasoning - earlier.Reasoning);
    }
}
