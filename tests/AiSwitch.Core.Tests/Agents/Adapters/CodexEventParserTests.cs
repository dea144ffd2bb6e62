using AiSwitch.Core.Agents.Adapters;

namespace AiSwitch.Core.Tests.Agents.Adapters;

public sealed class CodexEventParserTests
{
    [Fact]
    public void ExecReportsTheAgentMessageAndUsageAsGiven()
    {
        var parser = new CodexEventParser(model: "gpt-test");
        Assert.Equal(3, Fixtures.Feed(parser, Fixtures.Lines("codex-plain.jsonl")));

        var outcome = parser.Outcome();
        Assert.True(outcome.Success);
        Assert.Equal("Hello codex", outcome.Text);
        Assert.Equal("01a2004c-14dd-7793-9f84-2bc24aa8cb67", outcome.SessionId);
        Assert.Equal("gpt-test", outcome.Model);
        // input_tokens includes the cached ones (20 + 5 + 2); output includes reasoning (7 + 3).
        Assert.Equal(new TokenCounts(27, 10, 5, 2, 3), outcome.Tokens);
        Assert.Null(outcome.CostUsd);
    }

    [Fact]
    public void AResumedThreadReportsOnlyTheGrowthSinceItsPreviousTask()
    {
        var first = new CodexEventParser();
        Fixtures.Feed(first, Fixtures.Lines("codex-plain.jsonl"));
        var second = new CodexEventParser(first.ThreadUsageAfter);
        Fixtures.Feed(second, Fixtures.Lines("codex-resume.jsonl"));

        Assert.Equal("second turn", second.Outcome().Text);
        Assert.Equal(new TokenCounts(58, 14, 6, 2, 3), second.ThreadUsageAfter);
        Assert.Equal(new TokenCounts(31, 4, 1, 0, 0), second.Outcome().Tokens);
    }

    [Fact]
    public void ToolTurnKeepsTheLastAgentMessageAndIgnoresTheMetadataWarning()
    {
        var parser = new CodexEventParser();
        var kinds = Fixtures.Lines("codex-tool.jsonl").Select(parser.Accept).ToList();

        Assert.All(kinds, k => Assert.NotEqual(LineKind.NotProtocol, k.Kind));
        Assert.True(parser.Outcome().Success);
        Assert.Equal("the tool ran", parser.Outcome().Text);
        Assert.Equal(new TokenCounts(56, 11, 16, 0, 2), parser.Outcome().Tokens);
    }

    [Theory]
    [InlineData("codex-429.jsonl", "429 Too Many Requests")]
    [InlineData("codex-dead.jsonl", "Connection failed")]
    public void TurnFailedIsARetryableErrorForRateLimitsAndConnections(string fixture, string mention)
    {
        Assert.Contains(mention, Fixtures.RetryableError(new CodexEventParser(), fixture), StringComparison.Ordinal);
    }

    [Fact]
    public void AFailureThatIsNotTransientIsNotRetryable()
    {
        var parser = new CodexEventParser();
        parser.Accept("""{"type":"turn.failed","error":{"message":"Invalid model: does not exist"}}""");
        Assert.False(parser.Outcome().Retryable);
        Assert.Equal("Invalid model: does not exist", parser.Outcome().Error);
    }
}
