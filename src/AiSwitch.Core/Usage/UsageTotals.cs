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

    public long Total => Tokens.Sum(Input, Output);

    /// <summary>The sum of the known costs; null when no record had one.</summary>
    public decimal? Cost { get; private set; }

    public long Requests { get; private set; }

    public long Unpriced { get; private set; }

    public void Add(LedgerRecord record)
    {
        Input = Tokens.Sum(Input, record.InputTokens);
        Output = Tokens.Sum(Output, record.OutputTokens);
        CacheRead = Tokens.Sum(CacheRead, record.CacheReadTokens);
        CacheWrite = Tokens.Sum(CacheWrite, record.CacheWriteTokens);
        CacheWrite1h = Tokens.Sum(CacheWrite1h, record.CacheWrite1hTokens);
        Reasoning = Tokens.Sum(Reasoning, record.ReasoningTokens);
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
        Input = Tokens.Sum(Input, other.Input);
        Output = Tokens.Sum(Output, other.Output);
        CacheRead = Tokens.Sum(CacheRead, other.CacheRead);
        CacheWrite = Tokens.Sum(CacheWrite, other.CacheWrite);
        CacheWrite1h = Tokens.Sum(CacheWrite1h, other.CacheWrite1h);
        Reasoning = Tokens.Sum(Reasoning, other.Reasoning);
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
