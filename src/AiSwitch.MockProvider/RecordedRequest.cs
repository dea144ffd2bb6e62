using System.Text.Json.Serialization;

namespace AiSwitch.MockProvider;

/// <summary>Which API a request was routed to.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MockApi>))]
public enum MockApi
{
    /// <summary>A path the mock does not serve (answered 404).</summary>
    Unknown,

    /// <summary><c>HEAD {prefix}/</c>, Claude Code's connectivity check.</summary>
    Head,

    /// <summary>Anthropic <c>POST {prefix}/v1/messages</c>.</summary>
    AnthropicMessages,

    /// <summary>Anthropic <c>POST {prefix}/v1/messages/count_tokens</c>.</summary>
    AnthropicCountTokens,

    /// <summary>OpenAI <c>POST {prefix}/v1/responses</c>.</summary>
    OpenAiResponses,

    /// <summary>OpenAI <c>POST {prefix}/v1/chat/completions</c>.</summary>
    OpenAiChatCompletions,

    /// <summary>Gemini <c>POST {prefix}/v1beta/models/&lt;m&gt;:generateContent</c>.</summary>
    GeminiGenerateContent,

    /// <summary>Gemini <c>POST {prefix}/v1beta/models/&lt;m&gt;:streamGenerateContent</c>.</summary>
    GeminiStreamGenerateContent,
}

/// <summary>One request the mock received, as tests assert on it. Credentials in headers and the query are redacted.</summary>
public sealed class RecordedRequest
{
    /// <summary>1-based arrival order over the server's life (not reset by <c>Reset</c>).</summary>
    public int Sequence { get; init; }

    public string Method { get; init; } = "";

    /// <summary>The full path, prefix included, without the query string.</summary>
    public string Path { get; init; } = "";

    /// <summary>The query string including '?', or empty; a <c>key=</c> parameter is redacted.</summary>
    public string Query { get; init; } = "";

    /// <summary>Everything before <c>/v1</c> or <c>/v1beta</c> (e.g. <c>/sess-42</c>); empty when there is none.</summary>
    public string Prefix { get; init; } = "";

    public MockApi Api { get; init; }

    /// <summary>The model from the body (Anthropic, OpenAI) or the path (Gemini); empty when absent.</summary>
    public string Model { get; init; } = "";

    /// <summary>The text of the last user message; empty when there is none.</summary>
    public string LastUserText { get; init; } = "";

    /// <summary>Whether the reply was streamed (SSE).</summary>
    public bool Streamed { get; init; }

    /// <summary>Whether the request asked for a JSON answer (Gemini responseMimeType, OpenAI json_schema formats).</summary>
    public bool JsonMode { get; init; }

    /// <summary>The HTTP status answered (200 for a normal reply, also for a stall or disconnect once headers were planned).</summary>
    public int StatusCode { get; init; }

    /// <summary>The fault served, if any.</summary>
    public MockFault Fault { get; init; }

    /// <summary>The reply text served (empty for errors and requests that are not model calls).</summary>
    public string ReplyText { get; init; } = "";

    /// <summary>The usage served; null when the request was not a model call or was answered with an error.</summary>
    public MockUsage? Usage { get; init; }

    /// <summary>Request headers; x-api-key, authorization, x-goog-api-key and similar keep at most their last 4 characters.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The request body as received (UTF-8 text).</summary>
    public string Body { get; init; } = "";
}
