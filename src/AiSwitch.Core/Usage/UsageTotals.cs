using AiSwitch.Protocol;

namespace AiSwitch.Core.Usage;

/// <summary>Running sums over ledger records: tokens, known cost, requests and how many had no cost.</summary>
internal sealed class UsageTotals
{
    public long Input { get; private set; }

    public long Output { get; private set; }

    public long CacheRead { get; private set; }

    public long CacheWrite { get; private set; }

    public long Reasoning { get; private set; }

    public long CacheWrite1h { get; private set; }

    public long Total => Input + Output;

    /// <summary>The sum of the known costs; null when no record had one.</summary>
    public decimal? Cost { get; private set; }

    public long Requests { get; private set; }

    public long Unpriced { get; private set; }

    public void Add(LedgerRecord record)
    {
        Input += record.InputTokens;
        Output += record.OutputTokens;
        CacheRead += record.CacheReadTokens;
        CacheWrite += record.CacheWriteTokens;
        CacheWrite1h += record.CacheWrite1hTokens;
        Reasoning += record.ReasoningTokens;
        Requests += record.Requests;
        if (record.CostUsd is { } cost)
        {
            Cost = (Cost ?? 0m) + cost;
        }
        else
        {
            Unpriced++;
        }
    }

    public void Merge(UsageTotals other)
    {
        Input += other.Input;
        Output += other.Output;
        CacheRead += other.CacheRead;
        CacheWrite += other.CacheWrite;
        CacheWrite1h += other.CacheWrite1h;
        Reasoning += other.Reasoning;
        Requests += other.Requests;
        Unpriced += other.Unpriced;
        if (other.Cost is { } cost)
        {
            Cost = (Cost ?? 0m) + cost;
        }
    }

    public TokenUsage ToTokenUsage(string? model = null) => new()
    {
        InputTokens = Input,
        OutputTokens = Output,
        TotalTokens = Total,
        CostUsd = Cost,
        Model = model,
        CacheReadTokens = CacheRead,
        CacheWriteTokens = CacheWrite,
        ReasoningTokens = Reasoning,
    };
}
