using System.Globalization;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Tasks;
using AiSwitch.Core.Usage;
using WarningContext = AiSwitch.Core.Tests.Usage.RecordingContext;

namespace AiSwitch.Core.Tests.Tasks;

/// <summary>Issue 11 item 11: Requests counts model calls, not tasks; costs carry no float noise.</summary>
public sealed class RequestsAndCostTests
{
    [Fact]
    public async Task ATaskOfThreeModelCallsCountsThreeRequests()
    {
        using var engine = new TaskEngineFixture();
        var ledger = new TokenLedger(engine.Home);
        engine.Operations.Ledger = ledger;
        engine.Adapter.On("a", (_, _) => Task.FromResult(new AgentRunResult
        {
            Success = true, Text = "ok", Model = "claude-opus-4-8", InputTokens = 30, OutputTokens = 9, RequestIds = ["msg_1", "msg_2", "msg_3"],
        }));
        engine.Adapter.On("b", (_, _) => Task.FromResult(new AgentRunResult { Success = true, Text = "ok", Model = "claude-opus-4-8", InputTokens = 5, OutputTokens = 1 }));

        await foreach (var _ in engine.Operations.InvokeAsync(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a", "b"] }, new WarningContext()))
        {
        }

        var rows = new UsageOperations(ledger).Query(new TokenUsageQuery { GroupBy = UsageGroupBy.Agent, TimeZone = TimeZoneInfo.Utc });
        Assert.Equal([("a", 3L), ("b", 1L)], rows.Select(r => (r.Group, r.Requests)));
    }

    [Fact]
    public void AClaudeLogsJavaScriptDoubleCostIsImportedAsTheDecimalItStandsFor()
    {
        var file = Path.Combine(Path.GetTempPath(), "aiswitch-tests", "cost-" + Guid.NewGuid().ToString("N") + ".jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, """{"type":"assistant","sessionId":"s","requestId":"r","timestamp":"2026-11-21T10:00:00Z","costUSD":0.00018059999999999997,"message":{"id":"m","model":"claude-opus-4-8","usage":{"input_tokens":3,"output_tokens":4}}}""" + "\n");
        try
        {
            LedgerRecord? record = null;
            AgentLogReaders.ReadClaudeCode(file, call => record = call.Record);

            Assert.Equal("0.0001806", record!.CostUsd!.Value.ToString(CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
