using System.Diagnostics;
using AiSwitch.Core.Environments;
using Xunit;

namespace AiSwitch.Core.Tests.Environments;

public sealed class ShellScriptTests
{
    public static TheoryData<string> HostileValues() => new()
    {
        "plain",
        "it's",
        "''",
        "'\\''",
        "$HOME and ${PATH} and $(echo pwned) and `echo pwned`",
        "back\\slash\\",
        "line one\nline two\n",
        "tab\tand\rcarriage",
        "\"double\" quotes",
        "ünïcødé ✓ 日本語 🔑",
        "‘typographic’ ‚quotes‛",
        "; rm -rf / #",
        "!event !! history",
        "*glob?[x]",
        " leading and trailing ",
        "",
    };

    [Theory]
    [MemberData(nameof(HostileValues))]
    public void Bash_eval_of_the_export_line_yields_the_exact_value(string value)
    {
        var script = ShellScript.Render(ShellKind.Bash, [new("K", value), new("GONE", null)]);

        var (output, exit) = RunBash($"export GONE=still-here; eval \"$(cat)\"; printf %s \"$K\"; printf %s \"${{GONE-unset}}\" >&2", script);

        Assert.Equal(0, exit);
        Assert.Equal(value, output.Stdout);
        Assert.Equal("unset", output.Stderr);
    }

    [Theory]
    [MemberData(nameof(HostileValues))]
    public void Posix_quoting_keeps_everything_inside_one_single_quoted_word(string value)
    {
        var quoted = ShellScript.PosixQuote(value);
        Assert.StartsWith("'", quoted);
        Assert.EndsWith("'", quoted);
        Assert.Equal(value, quoted[1..^1].Replace("'\\''", "'", StringComparison.Ordinal));
    }

    [Fact]
    public void Fish_escapes_backslash_and_quote_only()
    {
        Assert.Equal(@"set -gx K 'a\'b\\c $d'", ShellScript.Set(ShellKind.Fish, "K", @"a'b\c $d"));
        Assert.Equal("set -e K", ShellScript.Unset(ShellKind.Fish, "K"));
    }

    [Fact]
    public void Pwsh_doubles_every_kind_of_single_quote()
    {
        Assert.Equal("$env:K = 'it''s ‘‘x’’ $y'", ShellScript.Set(ShellKind.Pwsh, "K", "it's ‘x’ $y"));
        Assert.Equal("Remove-Item -LiteralPath Env:K -ErrorAction Ignore", ShellScript.Unset(ShellKind.Pwsh, "K"));
    }

    [Fact]
    public void Zsh_uses_the_posix_form_and_unknown_shells_are_refused()
    {
        Assert.Equal("export K='a'\\''b'", ShellScript.Set(ShellScript.Parse("zsh"), "K", "a'b"));
        var error = Assert.Throws<AiSwitchException>(() => ShellScript.Parse("tcsh"));
        Assert.Equal(ErrorId.InvalidArgument, error.Id);
        Assert.Contains("bash, zsh, fish or pwsh", error.Message);
    }

    internal static ((string Stdout, string Stderr), int) RunBash(string command, string stdin)
    {
        var start = new ProcessStartInfo("bash", ["-c", command])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var bash = Process.Start(start)!;
        bash.StandardInput.Write(stdin);
        bash.StandardInput.Close();
        var stderr = bash.StandardError.ReadToEndAsync();
        var stdout = bash.StandardOutput.ReadToEnd();
        bash.WaitForExit();
        return ((stdout, stderr.Result), bash.ExitCode);
    }
}
