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
        Assert.Equal(new TokenCounts(17, 11, 4, 6, 0), outcome.Tokens);
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
        Assert.Equal(new TokenCounts(11 + 13, 7 + 5, 11, 0, 0), outcome.Tokens);
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
