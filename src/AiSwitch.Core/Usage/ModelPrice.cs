namespace AiSwitch.Core.Usage;

/// <summary>The price of one model, in US dollars per million tokens.</summary>
internal sealed class ModelPrice
{
    public required string Model { get; init; }

    public decimal Input { get; init; }

    public decimal Output { get; init; }

    public decimal CacheRead { get; init; }

    public decimal CacheWrite { get; init; }

    /// <summary>True when the price was not checked against the vendor's list on the table's date.</summary>
    public bool Estimate { get; init; }

    /// <summary>"default" (shipped table) or the path of the user's pricing file.</summary>
    public required string Source { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The cost of one record's tokens. Cached input is priced at the cache rates, the rest at <see cref="Input"/>.</summary>
    public decimal Cost(long input, long output, long cacheRead, long cacheWrite)
    {
        var fresh = Math.Max(0, input - cacheRead - cacheWrite);
        var micro = (fresh * Input) + (cacheRead * CacheRead) + (cacheWrite * CacheWrite) + (output * Output);
        return Math.Round(micro / 1_000_000m, 8);
    }
}
