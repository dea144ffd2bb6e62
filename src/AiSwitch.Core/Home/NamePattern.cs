using System.Text;
using System.Text.RegularExpressions;

namespace AiSwitch.Core.Home;

/// <summary>
/// PowerShell-style wildcards for names: <c>*</c>, <c>?</c>, <c>[abc]</c> and <c>[a-z]</c>, a backtick escaping the
/// next character; case-insensitive, matching the whole name. Core has no PowerShell, so this mirrors WildcardPattern.
/// </summary>
internal sealed class NamePattern
{
    private readonly Regex _regex;

    public NamePattern(string pattern)
    {
        Pattern = pattern;
        _regex = new Regex(ToRegex(pattern), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    public string Pattern { get; }

    public static bool HasWildcards(string? pattern)
        => pattern is not null && pattern.IndexOfAny(['*', '?', '[']) >= 0;

    public bool IsMatch(string name) => _regex.IsMatch(name);

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '`' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '*':
                    regex.Append(".*");
                    break;
                case '?':
                    regex.Append('.');
                    break;
                case '[' when pattern.IndexOf(']', i + 1) is var close && close > i + 1:
                    regex.Append('[');
                    foreach (var member in pattern[(i + 1)..close])
                    {
                        regex.Append(member == '-' ? "-" : Regex.Escape(member.ToString()).Replace("]", "\\]"));
                    }

                    regex.Append(']');
                    i = close;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return regex.Append('$').ToString();
    }
}
