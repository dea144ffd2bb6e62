using System.Text;

namespace AiSwitch.Core.Environments;

internal enum ShellKind
{
    Bash,
    Zsh,
    Fish,
    Pwsh,
}

/// <summary>
/// The lines <c>aiswitch apply --shell …</c> prints for a shell to <c>eval</c>. They carry the REAL values:
/// that is their purpose, since a child process cannot change its parent shell's environment. Every value is
/// single-quoted with that shell's escaping, so quotes, <c>$</c>, backticks, newlines and any Unicode arrive verbatim.
/// </summary>
internal static class ShellScript
{
    public static ShellKind Parse(string shell) => shell.ToLowerInvariant() switch
    {
        "bash" or "sh" => ShellKind.Bash,
        "zsh" => ShellKind.Zsh,
        "fish" => ShellKind.Fish,
        "pwsh" or "powershell" => ShellKind.Pwsh,
        _ => throw new AiSwitchException(ErrorId.InvalidArgument,
            $"Shell '{shell}' is not supported. Use bash, zsh, fish or pwsh.", shell),
    };

    /// <summary>One line per variable, in order: a value sets it, null unsets it.</summary>
    public static string Render(ShellKind shell, IEnumerable<KeyValuePair<string, string?>> variables)
    {
        var script = new StringBuilder();
        foreach (var (name, value) in variables)
        {
            script.Append(value is null ? Unset(shell, name) : Set(shell, name, value)).Append('\n');
        }

        return script.ToString();
    }

    public static string Set(ShellKind shell, string name, string value) => shell switch
    {
        ShellKind.Fish => $"set -gx {name} {FishQuote(value)}",
        ShellKind.Pwsh => $"$env:{name} = {PwshQuote(value)}",
        _ => $"export {name}={PosixQuote(value)}",
    };

    public static string Unset(ShellKind shell, string name) => shell switch
    {
        ShellKind.Fish => $"set -e {name}",
        ShellKind.Pwsh => $"Remove-Item -LiteralPath Env:{name} -ErrorAction Ignore",
        _ => $"unset {name}",
    };

    /// <summary>bash, zsh, sh: nothing is special inside '…' except ' itself, written as '\''.</summary>
    public static string PosixQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>fish: inside '…' only \ and ' are special, each escaped with a backslash.</summary>
    public static string FishQuote(string value)
        => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>
    /// PowerShell: inside '…' a quote is doubled. PowerShell also takes the typographic quotes U+2018–U+201B as
    /// single quotes, so each of those is doubled too (a lone one would end the string).
    /// </summary>
    public static string PwshQuote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            quoted.Append(c);
            if (c is '\'' or '\u2018' or '\u2019' or '\u201A' or '\u201B')
            {
                quoted.Append(c);
            }
        }

        return quoted.Append('\'').ToString();
    }
}
