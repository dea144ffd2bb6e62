namespace AiSwitch.MockProvider;

/// <summary>Keeps credentials out of what the mock records: at most the last 4 characters of a secret survive.</summary>
internal static class Redaction
{
    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "x-api-key", "authorization", "proxy-authorization", "x-goog-api-key", "api-key", "cookie",
    };

    public static bool IsSecretHeader(string name) => SecretHeaders.Contains(name);

    /// <summary>"Bearer sk-abcdef123456" → "Bearer ***3456"; secrets shorter than 12 characters keep nothing.</summary>
    public static string RedactValue(string value)
    {
        var space = value.IndexOf(' ');
        var (scheme, secret) = space > 0 && value[..space].All(char.IsLetter)
            ? (value[..(space + 1)], value[(space + 1)..])
            : ("", value);
        return scheme + (secret.Length >= 12 ? "***" + secret[^4..] : "***");
    }

    /// <summary>Redacts a <c>key=</c> parameter (Gemini's query-string API key) in a query string.</summary>
    public static string RedactQuery(string query)
    {
        if (query.Length == 0)
        {
            return query;
        }

        var parts = query.TrimStart('?').Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=');
            if (eq > 0 && parts[i][..eq].Equals("key", StringComparison.OrdinalIgnoreCase))
            {
                parts[i] = parts[i][..(eq + 1)] + RedactValue(Uri.UnescapeDataString(parts[i][(eq + 1)..]));
            }
        }

        return "?" + string.Join('&', parts);
    }
}
