using System.Diagnostics;
using System.Text;
using AiSwitch.Core.Tests.Support;
using AiSwitch.Core.Usage;

namespace AiSwitch.Core.Tests.Usage;

public sealed class TokenLedgerTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    private TokenLedger Ledger => new(_home.Home);

    private List<LedgerRecord> ReadAll(RecordingContext? context = null)
    {
        var all = new List<LedgerRecord>();
        Ledger.Scan(null, null, all.Add, context, withIds: true);
        return all;
    }

    [Fact]
    public void ARecordRoundTripsThroughItsUtcDayFile()
    {
        // 23:30 at UTC-5 is 04:30 UTC the next day: the record belongs to the UTC day's file.
        var time = new DateTimeOffset(2026, 11, 21, 23, 30, 0, TimeSpan.FromHours(-5));
        var stored = Ledger.Append(new LedgerRecord
        {
            Time = time, Agent = "claude", TaskId = "t1", Adapter = "claude-code", Preset = "work", Model = "claude-opus-4-8[1m]",
            TaskType = "parallel", InputTokens = 1_000_000, OutputTokens = 100_000, CacheReadTokens = 400_000, CacheWriteTokens = 100_000,
            ReasoningTokens = 7, SessionId = "s-1", RequestId = "req_1",
        });

        Assert.True(File.Exists(Path.Combine(_home.Root, "state", "tokens", "2026-11-22.jsonl")));
        var read = Assert.Single(ReadAll());
        Assert.Equal(time, read.Time);
        Assert.Equal(("claude", "t1", "claude-code", "work", "claude-opus-4-8[1m]", "parallel"), (read.Agent, read.TaskId, read.Adapter, read.Preset, read.Model, read.TaskType));
        Assert.Equal((1_000_000L, 100_000L, 400_000L, 100_000L, 7L), (read.InputTokens, read.OutputTokens, read.CacheReadTokens, read.CacheWriteTokens, read.ReasoningTokens));
        Assert.Equal(("s-1", "req_1"), (read.SessionId, read.RequestId));
        // Opus $5/$25, cache read $0.5, cache write $6.25: 500k fresh × 5 + 400k × 0.5 + 100k × 6.25 + 100k × 25 = 2.5 + 0.2 + 0.625 + 2.5.
        Assert.Equal(5.825m, stored.CostUsd);
        Assert.Equal(CostSource.Pricing, read.CostSource);
        Assert.Equal(5.825m, read.CostUsd);
    }

    [Fact]
    public void TheAgentsOwnCostIsKeptAndAnUnknownModelGetsNoCostAndIsListedOncePerReportNotWarnedPerRecord()
    {
        var context = new RecordingContext();
        var ledger = Ledger;
        var agentCost = ledger.Append(new LedgerRecord { Time = Noon, Agent = "claude", Model = "claude-opus-4-8", InputTokens = 11, OutputTokens = 7, CostUsd = 0.00023m }, context);
        var first = ledger.Append(new LedgerRecord { Time = Noon, Agent = "local", Model = "my-llama", InputTokens = 5, OutputTokens = 5 }, context);
        var second = ledger.Append(new LedgerRecord { Time = Noon, Agent = "local", Model = "my-llama", InputTokens = 5, OutputTokens = 5 }, context);

        Assert.Equal((0.00023m, CostSource.Agent), (agentCost.CostUsd, agentCost.CostSource));
        Assert.Equal((null, CostSource.None), (first.CostUsd, first.CostSource));
        Assert.Null(second.CostUsd);
        Assert.Empty(context.Warnings);
        var reportContext = new RecordingContext();
        var summary = new UsageOperations(ledger).Summary(new TokenUsageQuery { TimeZone = TimeZoneInfo.Utc }, reportContext);
        new UsageOperations(ledger).Query(new TokenUsageQuery { TimeZone = TimeZoneInfo.Utc }, reportContext);
        Assert.Equal(["my-llama"], summary.UnpricedModels);
        Assert.Equal(2, reportContext.Warnings.Count);   // one line per report, naming the model and its requests
        Assert.All(reportContext.Warnings, w => Assert.Contains("'my-llama' (2 requests)", w, StringComparison.Ordinal));
        Assert.All(reportContext.Warnings, w => Assert.Contains("pricing.yaml", w, StringComparison.Ordinal));
        Assert.DoesNotContain("\"cost_usd\"", File.ReadAllLines(ledger.PathFor(Noon))[1], StringComparison.Ordinal);
    }

    [Fact]
    public void TornLinesAreSkippedAndReportedAndTheNextAppendStartsAFreshLine()
    {
        var ledger = Ledger;
        ledger.Append(new LedgerRecord { Time = Noon, Agent = "a", InputTokens = 1 });
        // What a writer killed in the middle of its write would leave: part of a line, no newline.
        File.AppendAllText(ledger.PathFor(Noon), "{\"time\":\"2026-11-21T12:00:00Z\",\"agent\":\"b\",\"inp");
        var context = new RecordingContext();
        Assert.Single(ReadAll(context));
        Assert.Contains("unfinished", Assert.Single(context.Warnings), StringComparison.Ordinal);

        ledger.Append(new LedgerRecord { Time = Noon, Agent = "c", InputTokens = 3 });
        context = new RecordingContext();
        var records = ReadAll(context);

        Assert.Equal(["a", "c"], records.Select(r => r.Agent));
        Assert.Contains("1 unreadable line 2", Assert.Single(context.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void TornLinesFoundByAReadFromAnOffsetAreCountedFromThatByte()
    {
        var ledger = Ledger;
        ledger.Append(new LedgerRecord { Time = Noon, Agent = "a", InputTokens = 1 });
        var offset = new FileInfo(ledger.PathFor(Noon)).Length;
        File.AppendAllText(ledger.PathFor(Noon), "not a record\nnor this\n");
        ledger.Append(new LedgerRecord { Time = Noon, Agent = "b", InputTokens = 2 });
        var context = new RecordingContext();
        var read = new List<LedgerRecord>();

        TokenLedger.ScanFile(ledger.PathFor(Noon), offset, new StringTable(), withIds: false, read.Add, context);

        Assert.Equal(["b"], read.Select(r => r.Agent));
        Assert.Contains($"2 unreadable lines (counted from byte {offset}) 1, 2:", Assert.Single(context.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void ARecordWithoutAnAgentOrWithNegativeTokensIsRefused()
    {
        var noAgent = Assert.Throws<AiSwitchException>(() => Ledger.Append(new LedgerRecord { Time = Noon, Agent = " " }));
        var negative = Assert.Throws<AiSwitchException>(() => Ledger.Append(new LedgerRecord { Time = Noon, Agent = "a", OutputTokens = -1 }));
        var absurd = Assert.Throws<AiSwitchException>(() => Ledger.Append(new LedgerRecord { Time = Noon, Agent = "rogue", InputTokens = 1_000_000_000_001 }));

        Assert.Equal(ErrorId.InvalidArgument, noAgent.Id);
        Assert.Equal(ErrorId.InvalidArgument, negative.Id);
        Assert.Equal(ErrorId.InvalidArgument, absurd.Id);
        Assert.Contains("agent 'rogue' reported 1000000000001 input tokens", absurd.Message, StringComparison.Ordinal);
        Assert.Empty(ReadAll());
    }

    [Fact]
    public async Task EightProcessesAppendingAtOnceLoseAndTearNothing()
    {
        const int Writers = 8, Each = 10_000;
        var processes = Enumerable.Range(0, Writers)
            .Select(i => TestHostProcess.Start("ledger-append", _home.Root, "w" + i, Each.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        foreach (var process in processes)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, await stderr);
            process.Dispose();
        }

        var context = new RecordingContext();
        var records = ReadAll(context);

        Assert.Empty(context.Warnings);
        Assert.Equal(Writers * Each, records.Count);
        Assert.Equal(Writers * Each, records.Select(r => r.RequestId).Distinct().Count());
        Assert.All(records.GroupBy(r => r.Agent), g => Assert.Equal(Each, g.Count()));
        Assert.Equal(Writers * Each, File.ReadAllLines(Ledger.PathFor(Noon)).Length);
    }

    [Fact]
    public async Task AWriterKilledMidAppendLosesAtMostItsOwnUnfinishedRecord()
    {
        using var writer = TestHostProcess.Start("ledger-append", _home.Root, "killed", "0");
        // Wait until it has appended a good number, then kill it without warning while it is appending.
        string? line;
        var reported = 0L;
        while ((line = await writer.StandardOutput.ReadLineAsync()) is not null)
        {
            reported = long.Parse(line["appended ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            if (reported >= 2_000)
            {
                break;
            }
        }

        writer.Kill();
        await writer.WaitForExitAsync();
        var after = Ledger.Append(new LedgerRecord { Time = Noon, Agent = "after", InputTokens = 1 });

        var context = new RecordingContext();
        var records = ReadAll(context);
        var killed = records.Where(r => r.Agent == "killed").ToList();

        Assert.True(killed.Count >= reported, $"{killed.Count} records, but the writer had reported {reported}");
        // Records are whole and in order: request ids killed-0 … killed-(n-1), no gaps, no duplicates.
        Assert.Equal(Enumerable.Range(0, killed.Count).Select(i => "killed-" + i), killed.Select(r => r.RequestId));
        Assert.Equal("after", records[^1].Agent);
        Assert.True(context.Warnings.Count <= 1);
    }
}
