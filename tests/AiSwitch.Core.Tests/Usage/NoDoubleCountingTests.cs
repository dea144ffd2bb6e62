using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Core.Tests.Agents.Adapters;
using AiSwitch.Core.Tests.Support;
using AiSwitch.Core.Usage;

namespace AiSwitch.Core.Tests.Usage;

/// <summary>
/// Issue 11 item 4: a task AiSwitch ran is in the ledger and in the agent CLI's own logs. An import skips the calls of
/// the sessions and message ids tasks recorded, and a task that ends after an import took some of its calls records
/// only the rest.
/// </summary>
public sealed class NoDoubleCountingTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly TempHome _home = new();
    private readonly string _logs = Path.Combine(Path.GetTempPath(), "aiswitch-tests", "nodouble-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _home.Dispose();
        if (Directory.Exists(_logs))
        {
            Directory.Delete(_logs, recursive: true);
        }
    }

    [Fact]
    public void ClaudeStreamGivesTheMessageIdOfEachCall()
    {
        var parser = new ClaudeStreamParser();
        Fixtures.Feed(parser, Fixtures.Lines("claude-tool.jsonl"));

        Assert.Equal(["msg_mock_6", "msg_mock_7"], parser.Outcome().RequestIds);
    }

    [Fact]
    public void AnImportSkipsTheCallsOfSessionsAndMessagesATaskRecorded()
    {
        var ledger = new TokenLedger(_home.Home);
        ledger.Append(Task("s-task", "msg_a,msg_b", input: 300, output: 30));      // claude run by AiSwitch: both calls
        ledger.Append(Task(null, "msg_d", input: 50, output: 5));                  // a live session's turn, known by its message id
        WriteClaude("s-task", ("msg_a", 100, 10), ("msg_b", 200, 20));
        WriteClaude("s-user", ("msg_c", 1000, 100));
        WriteClaude("s-live", ("msg_d", 50, 5));

        var result = new UsageImporter(_home.Home, ledger, _ => null)
            .Import(new ImportUsageRequest { Source = UsageImportSource.Claude, Path = [_logs] });

        Assert.Equal((1, 3L), (result.Added, result.Skipped));
        Assert.Equal((1000L + 300 + 50, 100L + 30 + 5), Totals(ledger));
    }

    [Fact]
    public void ATaskEndingAfterAnImportTookItsFirstCallRecordsOnlyTheRest()
    {
        var ledger = new TokenLedger(_home.Home);
        WriteClaude("s-task", ("msg_a", 100, 10));                                 // the task's first call, already in the log
        new UsageImporter(_home.Home, ledger, _ => null).Import(new ImportUsageRequest { Source = UsageImportSource.Claude, Path = [_logs] });

        var rest = UsageImporter.LessImported(ledger, Task("s-task", "msg_a,msg_b", input: 300, output: 30));
        ledger.Append(rest);

        Assert.Equal((200L, 20L), (rest.InputTokens, rest.OutputTokens));
        Assert.Equal((300L, 30L), Totals(ledger));
    }

    private static LedgerRecord Task(string? session, string ids, long input, long output) => new()
    {
        Time = Noon.AddMinutes(5), Agent = "claude", Adapter = "claude-code", TaskType = "parallel", TaskId = "t-1", Model = "claude-opus-4-8",
        InputTokens = input, OutputTokens = output, CostUsd = 0.01m, CostSource = CostSource.Agent, SessionId = session, RequestId = ids,
    };

    private void WriteClaude(string session, params (string Id, int Input, int Output)[] calls)
    {
        var folder = Path.Combine(_logs, "-home-user-p");
        Directory.CreateDirectory(folder);
        var lines = calls.Select((c, i) => System.Text.Json.JsonSerializer.Serialize(new
        {
            type = "assistant", sessionId = session, uuid = Guid.NewGuid().ToString(), timestamp = Noon.AddMinutes(i),
            message = new { id = c.Id, model = "claude-opus-4-8", usage = new { input_tokens = c.Input, output_tokens = c.Output } },
        }));
        File.AppendAllLines(Path.Combine(folder, session + ".jsonl"), lines);
    }

    private (long Input, long Output) Totals(TokenLedger ledger)
    {
        long input = 0, output = 0;
        ledger.Scan(null, null, r => { input += r.InputTokens; output += r.OutputTokens; }, null);
        return (input, output);
    }
}
