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

    /// <summary>
    /// The id of a failure an agent reported in its final event (its error text, the provider's HTTP status when it gives
    /// one): a credential refused or missing, the network, the provider's limits, or else the agent's own failure.
    /// </summary>
    public static ErrorId Classify(string? message, int? httpStatus = null)
    {
        message ??= string.Empty;
        return httpStatus is 401 or 403 || AuthenticationPattern().IsMatch(message) ? ErrorId.AgentAuthenticationFailed
            : NetworkPattern().IsMatch(message) ? ErrorId.NetworkError
            : httpStatus is 429 ? ErrorId.ProviderRateLimited
            : httpStatus is 529 or 503 ? ErrorId.ProviderOverloaded
            : ErrorId.AgentReportedFailure;
    }

    /// <summary>
    /// The id of an agent process that ended without its final event, from its exit code and the last of its stderr: a
    /// command it needs is missing (exit 126/127, "command not found"), a credential, the network, or else a crash.
    /// </summary>
    public static ErrorId ClassifyExit(string? stderr, int? exitCode)
    {
        if (exitCode is 126 or 127 || CommandNotFoundPattern().IsMatch(stderr ?? string.Empty))
        {
            return ErrorId.AgentCommandNotFound;
        }

        return Classify(stderr) is var reported && reported != ErrorId.AgentReportedFailure ? reported : ErrorId.AgentCrashed;
    }

    [GeneratedRegex(
        @"not logged in|please run /login|\blog ?in\b.*\brequired|invalid (x-)?api[ _-]?key|api[ _-]?key (is )?(missing|invalid|not set|required)|" +
        @"missing (the )?(api[ _-]?key|bearer|credentials?)|authentication (error|failed|required)|unauthori[sz]ed|\b401\b|invalid (auth(entication)?|bearer) token|" +
        @"credentials? (are )?(missing|invalid|expired)|OAuth token (has )?expired",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthenticationPattern();

    [GeneratedRegex(
        @"command not found|: not found$|env: .*: no such file or directory|is not recognized as an internal or external command",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex CommandNotFoundPattern();

    [GeneratedRegex(
        @"unable to connect|connection ?refused|connection (failed|reset|closed|error)|econnrefused|econnreset|etimedout|enotfound|eai_again|getaddrinfo|" +
        @"fetch failed|error sending request|socket hang up|network (error|is unreachable)|stream disconnected|name or service not known|could not resolve host",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NetworkPattern();

    [GeneratedRegex(
        @"\b(429|529|502|503|504)\b|rate[ _-]?limit|too many requests|resource[ _]exhausted|overloaded|unavailable|"
        + @"unable to connect|connection ?refused|connection (failed|reset|closed|error)|econnrefused|econnreset|etimedout|"
        + @"fetch failed|error sending request|socket hang up|network error|stream disconnected|reconnecting|try again later|quota",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RetryablePattern();
}
