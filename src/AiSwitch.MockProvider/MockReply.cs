using System.Text.Json.Serialization;

namespace AiSwitch.MockProvider;

/// <summary>What goes wrong on purpose while a reply is served.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MockFault>))]
public enum MockFault
{
    /// <summary>The reply is served in full.</summary>
    None,

    /// <summary>
    /// The reply never finishes: no response at all, or (with <see cref="MockReply.FaultAfterChunks"/>) the stream stops
    /// after that many text chunks. It ends only when the client disconnects or the server stops.
    /// </summary>
    Stall,

    /// <summary>The connection is aborted after <see cref="MockReply.FaultAfterChunks"/> text chunks (default 1).</summary>
    Disconnect,
}

/// <summary>
/// Token counts a reply reports, in provider-neutral terms. Each wire format maps them the way its vendor does:
/// Anthropic input_tokens = <see cref="InputTokens"/> (cache reads and writes separate), output_tokens = output + reasoning;
/// OpenAI input_tokens = input + cache read + cache write (cached_tokens = cache read), output_tokens = output + reasoning
/// (reasoning_tokens = reasoning); Gemini promptTokenCount = input + cache read + cache write, cachedContentTokenCount = cache read,
/// candidatesTokenCount = output, thoughtsTokenCount = reasoning.
/// </summary>
public sealed record MockUsage
{
    /// <summary>The usage served when nothing is scripted.</summary>
    public static MockUsage Default { get; } = new() { InputTokens = 10, OutputTokens = 5, CacheReadTokens = 3, ReasoningTokens = 2 };

    /// <summary>Fresh (uncached) prompt tokens.</summary>
    public int InputTokens { get; init; }

    /// <summary>Visible output tokens, not counting reasoning.</summary>
    public int OutputTokens { get; init; }

    /// <summary>Prompt tokens read from the cache.</summary>
    public int CacheReadTokens { get; init; }

    /// <summary>Prompt tokens written to the cache.</summary>
    public int CacheWriteTokens { get; init; }

    /// <summary>The part of <see cref="CacheWriteTokens"/> written to the 1-hour cache (Anthropic's <c>ephemeral_1h_input_tokens</c>).</summary>
    public int CacheWrite1hTokens { get; init; }

    /// <summary>Reasoning (thinking) tokens.</summary>
    public int ReasoningTokens { get; init; }

    /// <summary>Anthropic <c>output_tokens</c> and OpenAI <c>output_tokens</c>: output plus reasoning.</summary>
    [JsonIgnore]
    public int BilledOutputTokens => OutputTokens + ReasoningTokens;

    /// <summary>OpenAI <c>input_tokens</c> and Gemini <c>promptTokenCount</c>: every prompt token, cached or not.</summary>
    [JsonIgnore]
    public int TotalInputTokens => InputTokens + CacheReadTokens + CacheWriteTokens;

    /// <summary>OpenAI <c>total_tokens</c> and Gemini <c>totalTokenCount</c>.</summary>
    [JsonIgnore]
    public int TotalTokens => TotalInputTokens + BilledOutputTokens;
}

/// <summary>A tool call the mock asks the client to make.</summary>
public sealed record MockToolCall
{
    /// <summary>Tool (function) name, e.g. <c>Bash</c>, <c>exec_command</c>, <c>run_shell_command</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>The arguments as a JSON object text.</summary>
    public string ArgumentsJson { get; init; } = "{}";

    /// <summary>The call id; one is made up when empty.</summary>
    public string? Id { get; init; }
}

/// <summary>
/// One scripted answer. Everything left unset takes its default: the text "mock reply #N: &lt;last user text&gt;" (or, for a
/// JSON-mode request, an object fitting the requested schema), <see cref="MockUsage.Default"/>, no latency, three chunks.
/// </summary>
public sealed record MockReply
{
    /// <summary>The reply text; null for the default echo.</summary>
    public string? Text { get; init; }

    /// <summary>The usage reported; null for <see cref="MockUsage.Default"/>.</summary>
    public MockUsage? Usage { get; init; }

    /// <summary>Milliseconds before the response headers are sent.</summary>
    public int FirstByteDelayMs { get; init; }

    /// <summary>Milliseconds between streamed chunks.</summary>
    public int ChunkDelayMs { get; init; }

    /// <summary>How many pieces the text is streamed in (at least 1).</summary>
    public int Chunks { get; init; } = 3;

    /// <summary>A tool call to make instead of (or, when <see cref="Text"/> is set, after) the text.</summary>
    public MockToolCall? ToolCall { get; init; }

    /// <summary>An HTTP error status to answer with (429, 500, …) instead of a reply; 0 for a normal reply.</summary>
    public int StatusCode { get; init; }

    /// <summary>The <c>retry-after</c> header (seconds) sent with an error status; 0 sends none.</summary>
    public int RetryAfterSeconds { get; init; }

    /// <summary>The fault injected while serving.</summary>
    public MockFault Fault { get; init; }

    /// <summary>Text chunks sent before the fault; null means "before any response" for a stall and 1 for a disconnect.</summary>
    public int? FaultAfterChunks { get; init; }

    /// <summary>HTTP 429 with a retry-after header.</summary>
    public static MockReply RateLimited(int retryAfterSeconds = 1) => new() { StatusCode = 429, RetryAfterSeconds = retryAfterSeconds };

    /// <summary>HTTP 500.</summary>
    public static MockReply ServerError() => new() { StatusCode = 500 };

    /// <summary>A reply that never comes (after <paramref name="afterChunks"/> streamed chunks when given).</summary>
    public static MockReply Stall(int? afterChunks = null) => new() { Fault = MockFault.Stall, FaultAfterChunks = afterChunks };

    /// <summary>A stream cut off by aborting the connection after <paramref name="afterChunks"/> text chunks.</summary>
    public static MockReply Disconnect(int afterChunks = 1) => new() { Fault = MockFault.Disconnect, FaultAfterChunks = afterChunks };
}
