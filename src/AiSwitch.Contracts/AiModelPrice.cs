namespace AiSwitch;

/// <summary>
/// One row of the price table (Get-AiModelPrice, <c>aiswitch tokens prices</c>): US dollars per million tokens, and
/// where the numbers come from. Rows from <c>config/pricing.yaml</c> win over the shipped ones (<see cref="IsOverride"/>).
/// </summary>
public sealed class AiModelPrice
{
    public required string Model { get; init; }

    public decimal InputUsd { get; init; }

    public decimal OutputUsd { get; init; }

    public decimal CacheReadUsd { get; init; }

    /// <summary>Writes to the prompt cache with the 5-minute lifetime.</summary>
    public decimal CacheWriteUsd { get; init; }

    /// <summary>Writes to the prompt cache with the 1-hour lifetime.</summary>
    public decimal CacheWrite1hUsd { get; init; }

    public IReadOnlyList<string> Aliases { get; init => field = NameList.Of(value); } = NameList.Empty;

    /// <summary>The shipped table's source (LiteLLM's price list at a commit) or the path of the user's pricing file.</summary>
    public required string Source { get; init; }

    /// <summary>When the source was read, when known.</summary>
    public string? AsOf { get; init; }

    public bool IsOverride { get; init; }
}
