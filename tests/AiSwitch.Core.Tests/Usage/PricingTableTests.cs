using AiSwitch.Core.Tests.Support;
using AiSwitch.Core.Usage;

namespace AiSwitch.Core.Tests.Usage;

public sealed class PricingTableTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    private static (decimal, decimal, decimal, decimal, decimal) Rates(ModelPrice? price)
    {
        Assert.NotNull(price);
        return (price.Input, price.Output, price.CacheRead, price.CacheWrite, price.CacheWrite1h);
    }

    [Fact]
    public void Claude_rows_are_LiteLLMs_including_the_one_hour_cache_write_rate()
    {
        var table = PricingTable.Load(_home.Home);

        // model_prices_and_context_window.json @ 00035b69: input / output / cache read / cache creation / cache creation above 1 hr.
        Assert.Equal((2m, 10m, 0.2m, 2.5m, 4m), Rates(table.Find("claude-sonnet-5")));
        Assert.Equal((2m, 10m, 0.2m, 2.5m, 4m), Rates(table.Find("sonnet")));
        Assert.Equal((1m, 5m, 0.1m, 1.25m, 2m), Rates(table.Find("claude-haiku-4-5-20251001")));
        Assert.Equal((5m, 25m, 0.5m, 6.25m, 10m), Rates(table.Find("claude-opus-4-8[1m]")));
        Assert.Equal((15m, 75m, 1.5m, 18.75m, 30m), Rates(table.Find("claude-opus-4-1")));
        Assert.Equal((1.25m, 10m, 0.125m, 1.25m, 1.25m), Rates(table.Find("gpt-5-codex")));
        Assert.Equal((5m, 30m, 0.5m, 6.25m, 6.25m), Rates(table.Find("gpt-5.6-sol")));
        Assert.Equal((1.25m, 10m, 0.125m, 1.25m, 1.25m), Rates(table.Find("models/gemini-2.5-pro")));
        Assert.All(table.Models, p => Assert.Contains("BerriAI/litellm", p.Source, StringComparison.Ordinal));
        Assert.Equal("2026-12-07", table.AsOf);
    }

    [Fact]
    public void One_hour_cache_writes_are_charged_at_their_own_rate_through_the_ledger()
    {
        var ledger = new TokenLedger(_home.Home);

        var fiveMinutes = ledger.Append(new LedgerRecord { Time = Noon, Agent = "claude", Model = "claude-opus-4-8", InputTokens = 1_000_000, CacheWriteTokens = 1_000_000 });
        var oneHour = ledger.Append(new LedgerRecord { Time = Noon, Agent = "claude", Model = "claude-opus-4-8", InputTokens = 1_000_000, CacheWriteTokens = 1_000_000, CacheWrite1hTokens = 1_000_000 });
        var mixed = ledger.Append(new LedgerRecord { Time = Noon, Agent = "claude", Model = "claude-opus-4-8", InputTokens = 2_000_000, CacheWriteTokens = 2_000_000, CacheWrite1hTokens = 1_000_000 });
        var read = new List<LedgerRecord>();
        ledger.Scan(null, null, read.Add, null);

        Assert.Equal((6.25m, 10m, 16.25m), (fiveMinutes.CostUsd, oneHour.CostUsd, mixed.CostUsd));
        Assert.Equal([0L, 1_000_000L, 1_000_000L], read.Select(r => r.CacheWrite1hTokens));
    }

    [Fact]
    public void A_row_in_config_pricing_yaml_wins_over_the_shipped_one_and_says_where_it_is_from()
    {
        Directory.CreateDirectory(_home.Home.ConfigDir);
        var path = Path.Combine(_home.Home.ConfigDir, "pricing.yaml");
        File.WriteAllText(path, "models:\n  claude-sonnet-5:\n    input: 3\n    output: 15\n    cache_write_1h: 6\n    as_of: 2026-12-01\n");

        var table = PricingTable.Load(_home.Home);
        var sonnet = table.Find("claude-sonnet-5");

        // Unset cache rates fall back to input (read) and the 5-minute write (which falls back to input).
        Assert.Equal((3m, 15m, 3m, 3m, 6m), Rates(sonnet));
        Assert.Equal((path, "2026-12-01", true), (sonnet!.Source, sonnet.AsOf, sonnet.IsOverride));
        Assert.Same(sonnet, table.Find("sonnet"));   // the shipped row's aliases still find the override
        Assert.Equal((1m, 5m, 0.1m, 1.25m, 2m), Rates(table.Find("haiku")));
        Assert.Single(table.Models, p => p.Model == "claude-sonnet-5");
    }
}
