namespace AiSwitch.Core.Usage;

/// <summary>The price of one model, in US dollars per million tokens.</summary>
internal sealed class ModelPrice
{
    public required string Model { get; init; }

    public decimal Input { get; init; }

    public decimal Output { get; init; }

    public decimal CacheRead { get; init; }

    /// <summary>Writes to the prompt cache with the 5-minute lifetime.</summary>
    public decimal CacheWrite { get; init; }

    /// <summary>Writes with the 1-hour lifetime (Anthropic charges them 2x input, not 1.25x).</summary>
    public decimal CacheWrite1h { get; init; }

    /// <summary>Where the numbers come from: the shipped table's source, or the path of the user's pricing file.</summary>
    public required string Source { get; init; }

    /// <summary>When the source was read (the shipped table's date, or the user's row's own as_of), if known.</summary>
    public string? AsOf { get; init; }

    /// <summary>True for a row from the user's config/pricing.yaml.</summary>
    public bool IsOverride { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>
    /// The cost of one record's tokens. Cached input is priced at the cache rates (1-hour writes, a part of
    /// <paramref name="cacheWrite"/>, at their own), the rest at <see cref="Input"/>.
    /// </summary>
    public decimal Cost(long input, long output, long cacheRead, long cacheWrite, long cacheWrite1h = 0)
    {
        var fresh = Math.Max(0, input - cacheRead - cacheWrite);
        var longWrites = Math.Min(Math.Max(0, cacheWrite1h), cacheWrite);
        var micro = (fresh * Input) + (cacheRead * CacheRead) + ((cacheWrite - longWrites) * CacheWrite) + (longWrites * CacheWrite1h) + (output * Output);
        return Math.Round(micro / 1_000_000m, 8);
    }
}
