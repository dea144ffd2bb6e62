using System.Text.RegularExpressions;

namespace AiSwitch.HelpGen.Markdown;

/// <summary>Inline markdown to the plain text a console shows: links keep their text, code and emphasis lose their marks.</summary>
internal static partial class Inline
{
    public static string ToText(string markdown)
    {
        var text = Link().Replace(markdown, "${text}");
        // Without its backticks a lone symbol (`.`, `*`) would vanish into the sentence, so it keeps quotes.
        text = Code().Replace(text, m => m.Groups["code"].Value.Any(char.IsLetterOrDigit) ? m.Groups["code"].Value : $"'{m.Groups["code"].Value}'");
        text = Strong().Replace(text, "${text}");
        return Escape().Replace(text, "${char}");
    }

    /// <summary>The block as console text: a paragraph, "- item" / "1. item", or code lines as they are.</summary>
    public static string ToText(Block block) => block switch
    {
        Paragraph p => ToText(p.Text),
        ListItem item => $"{item.Marker} {ToText(item.Text)}",
        CodeBlock code => string.Join('\n', code.Lines),
        Heading heading => ToText(heading.Text),
        _ => throw new ArgumentException($"A {block.GetType().Name} has no text form.", nameof(block)),
    };

    [GeneratedRegex(@"\[(?<text>[^\]]+)\]\((?<url>[^)\s]+)\)")]
    private static partial Regex Link();

    // Double backticks first, so ``a`b`` keeps its inner backtick (PowerShell's escape character).
    [GeneratedRegex(@"``\s?(?<code>.+?)\s?``|`(?<code>[^`]+)`")]
    private static partial Regex Code();

    [GeneratedRegex(@"\*\*(?<text>[^*]+)\*\*")]
    private static partial Regex Strong();

    [GeneratedRegex(@"\\(?<char>[\\`*_|\[\]<>#])")]
    private static partial Regex Escape();
}
