using System.Text.RegularExpressions;

namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// Tells failures worth retrying (rate limits, an overloaded provider, a connection that failed) from the rest.
/// The agents run with their own retries capped, so the scheduler decides about retrying from this flag.
/// </summary>
internal static partial class FailureClassifier
{
    /// <summary>429 rate limited, 529 overloaded (Anthropic), 502/503/504 gateway and availability failures.</summary>
    public static bool IsRetryableStatus(int? status) => status is 429 or 529 or 502 or 503 or 504;

    /// <summary>Whether an agent's error text reports a rate limit, an overload or a failed connection.</summary>
    public static bool IsRetryableMessage(string? message) => message is not null && RetryablePattern().IsMatch(message);

    [GeneratedRegex(
        @"\b(429|529|502|503|504)\b|rate[ _-]?limit|too many requests|resource[ _]exhausted|overloaded|unavailable|"
        + @"unable to connect|connection ?refused|connection (failed|reset|closed|error)|econnrefused|econnreset|etimedout|"
        + @"fetch failed|error sending request|socket hang up|network error|stream disconnected|reconnecting|try again later|quota",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RetryablePattern();
}
