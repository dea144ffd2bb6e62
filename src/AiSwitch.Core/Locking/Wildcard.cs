using System.Text;
using System.Text.RegularExpressions;

namespace AiSwitch.Core.Locking;

/// <summary>PowerShell-style wildcards (<c>*</c>, <c>?</c>, <c>[abc]</c>, backtick escape), case-insensitive, without PowerShell.</summary>
internal sealed class Wildcard
{
    private readonly Regex _regex;

    public Wildcard(string pattern)
    {
        _regex = new Regex("^" + Translate(pattern) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    public static bool HasWildcards(string pattern) => pattern.AsSpan().IndexOfAny("*?[`") >= 0;

    public bool IsMatch(string value) => _regex.IsMatch(value);

    private static string Translate(string pattern)
    {
        var regex = new StringBuilder(pattern.Length * 2);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    regex.Append(".*");
                    break;
                case '?':
                    regex.Append('.');
                    break;
                case '`' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '[' when pattern.IndexOf(']', i + 1) is var close and > 0 && close > i + 1:
                    regex.Append('[').Append(pattern[(i + 1)..close].Replace("\\", "\\\\").Replace("^", "\\^").Replace("[", "\\[")).Append(']');
                    i = close;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return regex.ToString();
    }
}
