using AiSwitch.Core.Agents.Adapters;

namespace AiSwitch.Core.Tests.Agents.Adapters;

public sealed class GeminiStreamParserTests
{
    [Fact]
    public void HeadlessRunJoinsTheDeltasAndReadsTheStats()
    {
        var parser = new GeminiStreamParser();
        var deltas = Fixtures.Lines("gemini-plain.jsonl").Select(parser.Accept).Select(e => e.TextDelta).OfType<string>().ToList();

        var outcome = parser.Outcome();
        Assert.True(outcome.Success);
        Assert.Equal(["Hell", "o ge", "mini"], deltas);
        Assert.Equal("Hello gemini", outcome.Text);
        Assert.Equal(("5d39bc4d-c827-4583-b1b6-f2724cb50ecc", "gemini-2.5-flash"), (outcome.SessionId, outcome.Model));
        // Served: 22 input + 6 cached, 8 output, 4 thoughts. input_tokens is the whole prompt; thoughts are total − prompt − output,
        // and billed as output.
        Assert.Equal(new TokenCounts(28, 8 + 4, 6, 0, 4), outcome.Tokens);
    }

    [Fact]
    public void ToolRunSumsBothCalls()
    {
        var parser = new GeminiStreamParser();
        Fixtures.Feed(parser, Fixtures.Lines("gemini-tool.jsonl"));

        Assert.Equal("the tool ran", parser.Outcome().Text);
        Assert.Equal(new TokenCounts(65, 8 + 2, 15, 0, 2), parser.Outcome().Tokens);
    }

    [Theory]
    [InlineData("gemini-429.jsonl")]
    [InlineData("gemini-dead.jsonl")]
    public void ResultErrorsForRateLimitsAndConnectionsAreRetryable(string fixture)
    {
        Assert.StartsWith("[API Error:", Fixtures.RetryableError(new GeminiStreamParser(), fixture), StringComparison.Ordinal);
    }

    [Fact]
    public void AnErrorObjectBeforeTheStreamEndsTheRun()
    {
        var parser = new GeminiStreamParser();
        var effect = parser.Accept("""{"session_id":"s1","error":{"type":"Error","message":"Invalid auth method selected.","code":41}}""");

        Assert.Equal(LineKind.Final, effect.Kind);
        Assert.Equal("Invalid auth method selected.", parser.Outcome().Error);
        Assert.False(parser.Outcome().Retryable);
    }

    [Fact]
    public void AUsageMessageIsNotTheProtocol()
    {
        var parser = new GeminiStreamParser();
        Fixtures.Feed(parser, Fixtures.Lines("gemini-badflag.txt"));
        Assert.Equal(0, parser.ProtocolLines);
        Assert.Equal("Unknown arguments: nonexistent-flag, nonexistentFlag", parser.FirstNonProtocolLine);
    }
}
