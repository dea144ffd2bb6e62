using AiSwitch.Core.Agents.Adapters;

namespace AiSwitch.Core.Tests.Agents.Adapters;

public sealed class ClaudeStreamParserTests
{
    [Fact]
    public void PlainTurnGivesTheResultTextTheTurnUsageAndTheCost()
    {
        var parser = new ClaudeStreamParser();
        Assert.Equal(2, Fixtures.Feed(parser, Fixtures.Lines("claude-plain.jsonl")));

        var outcome = parser.Outcome();
        Assert.True(outcome.Completed && outcome.Success);
        Assert.Equal("Hello from the mock", outcome.Text);
        Assert.Equal("bfe4124c-8283-4373-99bf-3d7be500838e", outcome.SessionId);
        Assert.Equal("claude-opus-4-8", outcome.Model);
        Assert.Equal(new TokenCounts(17 + 4 + 6, 11, 4, 6, 0), outcome.Tokens);
        Assert.NotNull(outcome.CostUsd);
        Assert.True(outcome.CostUsd > 0);
        Assert.Null(outcome.Error);
    }

    [Fact]
    public void ToolTurnSumsBothCallsAndStreamsTheAssistantText()
    {
        var parser = new ClaudeStreamParser();
        var deltas = Fixtures.Lines("claude-tool.jsonl").Select(parser.Accept).Select(e => e.TextDelta).OfType<string>().ToList();

        var outcome = parser.Outcome();
        Assert.True(outcome.Success);
        Assert.Equal("the tool ran", outcome.Text);
        Assert.Equal(["the tool ran"], deltas);
        Assert.Equal(new TokenCounts(11 + 13 + 11, 7 + 5, 11, 0, 0), outcome.Tokens);
    }

    [Theory]
    [InlineData("claude-429.jsonl", "429")]
    [InlineData("claude-529.jsonl", "529")]
    [InlineData("claude-dead.jsonl", "ConnectionRefused")]
    public void RateLimitsOverloadAndConnectionFailuresAreRetryableErrors(string fixture, string mention)
    {
        var parser = new ClaudeStreamParser();
        Assert.Contains(mention, Fixtures.RetryableError(parser, fixture), StringComparison.Ordinal);
        Assert.Equal(TokenCounts.Zero, parser.Outcome().Tokens);
    }

    [Fact]
    public void TheCostArrivesAsAJavaScriptDoubleAndIsKeptAsTheAmountItStandsFor()
    {
        var parser = new ClaudeStreamParser();
        Fixtures.Feed(parser, [
            """{"type":"system","subtype":"init","session_id":"s1","model":"claude-haiku-4-5"}""",
            """{"type":"result","subtype":"success","is_error":false,"result":"hi","session_id":"s1","total_cost_usd":0.00018059999999999997,"usage":{"input_tokens":21,"output_tokens":9}}""",
        ]);

        Assert.Equal(0.0001806m, parser.Outcome().CostUsd);
        Assert.Equal("0.0001806", parser.Outcome().CostUsd!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void NotLoggedInIsAnAuthenticationFailureOnTheInitModelNotSynthetic()
    {
        // What Claude Code 2.x prints with no key and no login: the error comes on a message of model "<synthetic>".
        var parser = new ClaudeStreamParser();
        Fixtures.Feed(parser, [
            """{"type":"system","subtype":"init","session_id":"s2","model":"claude-sonnet-4-5-20250929"}""",
            """{"type":"assistant","message":{"id":"m1","model":"<synthetic>","role":"assistant","content":[{"type":"text","text":"Not logged in · Please run /login"}]},"session_id":"s2"}""",
            """{"type":"result","subtype":"success","is_error":true,"result":"Not logged in · Please run /login","session_id":"s2","total_cost_usd":0,"usage":{"input_tokens":0,"output_tokens":0},"modelUsage":{}}""",
        ]);

        var outcome = parser.Outcome();
        Assert.False(outcome.Success);
        Assert.Equal("claude-sonnet-4-5-20250929", outcome.Model);
        Assert.Equal(ErrorId.AgentAuthenticationFailed, CliTaskRunner.Result(outcome, 1, TimeSpan.Zero, null, 1).ErrorId);
    }

    [Fact]
    public void AnErrorWithTheProvidersStatusKeepsItAsTheAgentsCode()
    {
        var parser = new ClaudeStreamParser();
        Fixtures.Feed(parser, [
            """{"type":"result","subtype":"success","is_error":true,"api_error_status":401,"result":"API Error: 401 {\"error\":\"invalid x-api-key\"}","session_id":"s3","usage":{}}""",
        ]);

        var run = CliTaskRunner.Result(parser.Outcome(), 1, TimeSpan.Zero, null, 1);
        Assert.Equal((ErrorId.AgentAuthenticationFailed, "401"), (run.ErrorId, run.AgentErrorCode));
    }

    [Fact]
    public void LongLivedProcessReportsEachTurnsUsageAndTheGrowthOfTheCumulativeCost()
    {
        var lines = Fixtures.Lines("claude-long.jsonl");
        var turns = new List<TurnOutcome>();
        var cost = 0m;
        var start = 0;
        while (start < lines.Length)
        {
            var parser = new ClaudeStreamParser(cost);
            var final = Fixtures.Feed(parser, lines.Skip(start));
            Assert.NotEqual(-1, final);
            turns.Add(parser.Outcome());
            cost = parser.ProcessCostAfter;
            start += final + 1;
        }

        Assert.Equal(3, turns.Count);
        Assert.Equal(("turn one", true), (turns[0].Text, turns[0].Success));
        Assert.Equal(0.00023m, turns[0].CostUsd);
        Assert.False(turns[1].Success); // interrupted: error_during_execution
        Assert.Equal(0m, turns[1].CostUsd);
        Assert.Equal(("turn three", true), (turns[2].Text, turns[2].Success));
        Assert.Equal(0.00042m - 0.00023m, turns[2].CostUsd);
        Assert.Equal(new TokenCounts(13, 5, 0, 0, 0), turns[2].Tokens);
        Assert.Equal(0.00042m, cost);
    }

    [Fact]
    public void AnInterruptAcknowledgementIsSeen()
    {
        var parser = new ClaudeStreamParser();
        Fixtures.Feed(parser, Fixtures.Lines("claude-long.jsonl").Skip(3));
        Assert.Equal("req_int_1", parser.LastControlResponseId);
    }

    [Fact]
    public void GarbageIsCountedAndQuotedNotParsed()
    {
        var parser = new ClaudeStreamParser();
        Assert.Equal(LineKind.NotProtocol, parser.Accept("Usage: claude [options]").Kind);
        Assert.Equal(LineKind.NotProtocol, parser.Accept("{not json").Kind);
        Assert.Equal(LineKind.NotProtocol, parser.Accept("""{"no":"type"}""").Kind);
        Assert.Equal((0, 3, "Usage: claude [options]"), (parser.ProtocolLines, parser.NonProtocolLines, parser.FirstNonProtocolLine));
        Assert.False(parser.Completed);
    }
}
