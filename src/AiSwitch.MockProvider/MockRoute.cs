using Microsoft.AspNetCore.Http;

namespace AiSwitch.MockProvider;

/// <summary>Where a request goes: the API it names and the path prefix in front of the API version segment.</summary>
internal readonly record struct MockRoute(MockApi Api, string Prefix, string GeminiModel)
{
    private static readonly string[] VersionSegments = ["v1", "v1beta", "v1alpha"];

    /// <summary>
    /// Any prefix before the version segment is accepted (<c>/sess-42/v1/messages</c> → prefix <c>/sess-42</c>). The first
    /// version segment after which a known API path follows wins, so a prefix may itself contain "v1".
    /// </summary>
    public static MockRoute Parse(string method, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (HttpMethods.IsHead(method))
        {
            return new MockRoute(MockApi.Head, NormalizePrefix(path), "");
        }

        var firstVersion = -1;
        for (var i = 0; i < segments.Length; i++)
        {
            if (!VersionSegments.Contains(segments[i], StringComparer.Ordinal))
            {
                continue;
            }

            firstVersion = firstVersion < 0 ? i : firstVersion;
            var (api, model) = Match(segments.AsSpan(i));
            if (api != MockApi.Unknown && HttpMethods.IsPost(method))
            {
                return new MockRoute(api, JoinPrefix(segments.AsSpan(0, i)), model);
            }
        }

        var prefixLength = firstVersion < 0 ? segments.Length : firstVersion;
        return new MockRoute(MockApi.Unknown, JoinPrefix(segments.AsSpan(0, prefixLength)), "");
    }

    /// <summary><c>null</c>, "", "/" → ""; otherwise a leading slash and no trailing one.</summary>
    public static string NormalizePrefix(string? prefix)
    {
        var trimmed = (prefix ?? "").Trim().Trim('/');
        return trimmed.Length == 0 ? "" : "/" + trimmed;
    }

    private static string JoinPrefix(ReadOnlySpan<string> segments) =>
        segments.Length == 0 ? "" : "/" + string.Join('/', segments.ToArray());

    private static (MockApi Api, string GeminiModel) Match(ReadOnlySpan<string> rest)
    {
        switch (rest.Length)
        {
            case 2 when rest[1] == "messages":
                return (MockApi.AnthropicMessages, "");
            case 3 when rest[1] == "messages" && rest[2] == "count_tokens":
                return (MockApi.AnthropicCountTokens, "");
            case 2 when rest[1] == "responses":
                return (MockApi.OpenAiResponses, "");
            case 3 when rest[1] == "chat" && rest[2] == "completions":
                return (MockApi.OpenAiChatCompletions, "");
            case 3 when rest[1] == "models":
                var colon = rest[2].LastIndexOf(':');
                if (colon <= 0)
                {
                    return (MockApi.Unknown, "");
                }

                var model = rest[2][..colon];
                return rest[2][(colon + 1)..] switch
                {
                    "generateContent" => (MockApi.GeminiGenerateContent, model),
                    "streamGenerateContent" => (MockApi.GeminiStreamGenerateContent, model),
                    _ => (MockApi.Unknown, ""),
                };
            default:
                return (MockApi.Unknown, "");
        }
    }
}
