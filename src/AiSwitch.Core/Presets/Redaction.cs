namespace AiSwitch.Core.Presets;

/// <summary>
/// How a value is shown wherever AiSwitch shows one: a key-, token- or secret-like variable (by its name, or
/// by a value that looks like a provider key) becomes <c>****</c> plus at most its last 4 characters, and
/// none of them when the value is 8 characters or shorter.
/// </summary>
internal static class Redaction
{
    public const string Mask = "****";

    /// <summary>Values longer than this show their last <see cref="VisibleTail"/> characters after the mask.</summary>
    public const int ShortValueLength = 8;

    public const int VisibleTail = 4;

    private static readonly string[] SensitiveNameParts =
    [
        "KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "PASSPHRASE", "AUTH", "CREDENTIAL", "PRIVATE",
        "COOKIE", "SESSION", "SIGNATURE", "CERT",
    ];

    // Prefixes of provider keys, so a key stored under an innocent name is still hidden.
    private static readonly string[] SecretValuePrefixes =
    [
        "sk-", "sk_", "pk_", "rk_", "ghp_", "gho_", "ghu_", "ghs_", "github_pat_", "glpat-", "xoxb-", "xoxp-",
        "AIza", "AKIA", "ya29.", "Bearer ", "eyJ",
    ];

    public static bool IsSensitive(string variableName)
        => SensitiveNameParts.Any(part => variableName.Contains(part, StringComparison.OrdinalIgnoreCase));

    /// <summary>True for a value that looks like a provider key or token whatever its variable is called.</summary>
    public static bool LooksLikeSecret(string value)
        => SecretValuePrefixes.Any(prefix => value.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>The value as it may be shown: unchanged unless it is sensitive by name or by look.</summary>
    public static string Redact(string variableName, string value)
        => IsSensitive(variableName) || LooksLikeSecret(value) ? MaskValue(value) : value;

    /// <summary><c>****</c> plus the last 4 characters of a value longer than 8; <c>****</c> alone otherwise.</summary>
    public static string MaskValue(string value)
    {
        if (value.Length == 0)
        {
            return string.Empty;
        }

        return value.Length <= ShortValueLength ? Mask : Mask + value[^VisibleTail..];
    }

    /// <summary>
    /// A user-given name to quote in a message: shown as is, unless it looks like a key pasted in the wrong place.
    /// </summary>
    public static string ForMessage(string? text)
        => text is null ? string.Empty : LooksLikeSecret(text) ? MaskValue(text) : text;

    /// <summary>Replaces every occurrence of each secret in free text (an error message, a log line) with <c>****</c>.</summary>
    public static string RedactText(string text, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)).Distinct().OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>The longest argument shown whole; a longer one (a prompt) is shortened.</summary>
    public const int LongArgument = 120;

    /// <summary>
    /// A command line as it may be shown (-Verbose): an argument that looks like a key, that follows a flag naming a
    /// secret (<c>--api-key X</c>, <c>--token X</c>) or that sets one (<c>--token=X</c>, <c>API_KEY=X</c>) is masked, a long
    /// one shortened; an argument with spaces or quotes is single-quoted.
    /// </summary>
    public static string CommandLine(string fileName, IEnumerable<string> arguments)
    {
        var shown = new List<string> { Quote(fileName) };
        var secretNext = false;
        foreach (var argument in arguments)
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            var text = secretNext || LooksLikeSecret(argument) ? MaskValue(argument)
                : equals > 0 && IsSensitive(argument[..equals]) ? argument[..(equals + 1)] + MaskValue(argument[(equals + 1)..])
                : argument.Length > LongArgument ? argument[..(LongArgument - 3)] + "..."
                : argument;
            secretNext = argument.StartsWith('-') && equals < 0 && IsSensitive(argument);
            shown.Add(Quote(text));
        }

        return string.Join(' ', shown);
    }

    private static string Quote(string text) =>
        text.Length > 0 && !text.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"') ? text : "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
