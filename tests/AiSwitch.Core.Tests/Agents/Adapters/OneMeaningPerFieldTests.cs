using AiSwitch.Core.Agents.Adapters;

namespace AiSwitch.Core.Tests.Agents.Adapters;

/// <summary>
/// Issue 11 item 1: the same traffic gives the same figures whatever the agent. The traffic is the issue's: 10 uncached
/// and 3 cache-read input tokens, 5 output tokens of which 2 are reasoning, each line written the way that CLI writes
/// the mock provider's reply (docs/usage.md, "Worked example"). Every agent must give input 13, output 5, total 18.
/// </summary>
public sealed class OneMeaningPerFieldTests
{
    [Fact]
    public void ClaudeCodeAddsTheCacheReadsAndWritesToInput()
    {
        // Anthropic's input_tokens leaves the cache out; output_tokens includes the thinking, which it does not itemise.
        var parser = new ClaudeStreamParser();
        parser.Accept("""{"type":"system","subtype":"init","session_id":"s-1","model":"claude-opus-4-8"}""");
        parser.Accept("""{"type":"result","subtype":"success","is_error":false,"result":"hi","session_id":"s-1","usage":{"input_tokens":10,"cache_read_input_tokens":3,"cache_creation_input_tokens":0,"output_tokens":5}}""");

        var tokens = parser.Outcome().Tokens;

        Assert.Equal((13L, 5L, 3L, 0L, 18L), (tokens.Input, tokens.Output, tokens.CacheRead, tokens.CacheWrite, tokens.Total));
    }

    [Fact]
    public void ClaudeCodeCountsCacheWritesAsInputAndKeepsTheOneHourPartApart()
    {
        var parser = new ClaudeStreamParser();
        parser.Accept("""{"type":"result","subtype":"success","is_error":false,"result":"hi","usage":{"input_tokens":10,"cache_read_input_tokens":3,"cache_creation_input_tokens":7,"cache_creation":{"ephemeral_5m_input_tokens":3,"ephemeral_1h_input_tokens":4},"output_tokens":5}}""");

        Assert.Equal(new TokenCounts(20, 5, 3, 7, 0, CacheWrite1h: 4), parser.Outcome().Tokens);
    }

    [Fact]
    public void CodexTakesItsInputAndOutputAsTheyAre()
    {
        // The Responses API counts cached input inside input_tokens and reasoning inside output_tokens.
        var parser = new CodexEventParser();
        parser.Accept("""{"type":"thread.started","thread_id":"t-1"}""");
        parser.Accept("""{"type":"turn.completed","usage":{"input_tokens":13,"cached_input_tokens":3,"output_tokens":5,"reasoning_output_tokens":2}}""");

        var tokens = parser.Outcome().Tokens;

        Assert.Equal((13L, 5L, 3L, 2L, 18L), (tokens.Input, tokens.Output, tokens.CacheRead, tokens.Reasoning, tokens.Total));
    }

    [Fact]
    public void GeminiCountsItsThoughtsAsOutput()
    {
        // Gemini CLI's output_tokens are the visible candidates only; the thoughts are what total_tokens holds beyond them.
        var parser = new GeminiStreamParser();
        parser.Accept("""{"type":"init","session_id":"g-1","model":"gemini-2.5-flash"}""");
        parser.Accept("""{"type":"result","status":"success","stats":{"total_tokens":18,"input_tokens":13,"output_tokens":3,"cached":3,"input":10}}""");

        var tokens = parser.Outcome().Tokens;

        Assert.Equal((13L, 5L, 3L, 2L, 18L), (tokens.Input, tokens.Output, tokens.CacheRead, tokens.Reasoning, tokens.Total));
    }
}
