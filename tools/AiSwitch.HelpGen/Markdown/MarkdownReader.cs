using System.Text.RegularExpressions;

namespace AiSwitch.HelpGen.Markdown;

/// <summary>
/// The small part of markdown the help pages use: ATX headings, paragraphs, bullet and numbered lists, fenced code
/// and tables (read so that they can be refused by name). Inline markup is left for <see cref="Inline"/>.
/// </summary>
internal static partial class MarkdownReader
{
    public static IReadOnlyList<Block> Read(string text, List<(int Line, string Message)> problems)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<Block>();
        var pending = new List<string>();
        var pendingLine = 0;
        string? pendingMarker = null;

        void Flush()
        {
            if (pending.Count > 0)
            {
                var joined = string.Join(' ', pending.Select(l => l.Trim()));
                blocks.Add(pendingMarker is null ? new Paragraph(pendingLine, joined) : new ListItem(pendingLine, pendingMarker, joined));
            }

            pending.Clear();
            pendingMarker = null;
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var number = i + 1;
            var fence = Fence().Match(line);
            if (fence.Success)
            {
                Flush();
                var body = new List<string>();
                var indent = line.Length - line.TrimStart().Length;
                for (i++; i < lines.Length && !Fence().IsMatch(lines[i]); i++)
                {
                    // A fence inside a list item is indented; its body loses the same indentation.
                    body.Add(lines[i].Length >= indent && string.IsNullOrWhiteSpace(lines[i][..indent]) ? lines[i][indent..] : lines[i].TrimStart());
                }

                if (i >= lines.Length)
                {
                    problems.Add((number, "a ``` code block is never closed"));
                }

                blocks.Add(new CodeBlock(number, fence.Groups["lang"].Value.Trim(), body));
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                Flush();
                continue;
            }

            var heading = HeadingLine().Match(line);
            if (heading.Success)
            {
                Flush();
                blocks.Add(new Heading(number, heading.Groups["hashes"].Length, heading.Groups["text"].Value.Trim()));
                continue;
            }

            if (line.TrimStart().StartsWith('|'))
            {
                Flush();
                var rows = new List<string>();
                for (; i < lines.Length && lines[i].TrimStart().StartsWith('|'); i++)
                {
                    rows.Add(lines[i].Trim());
                }

                i--;
                blocks.Add(new Table(number, rows));
                continue;
            }

            var item = ListMarker().Match(line);
            if (item.Success)
            {
                Flush();
                pendingLine = number;
                pendingMarker = item.Groups["marker"].Value is "-" or "*" or "+" ? "-" : item.Groups["marker"].Value;
                pending.Add(line[item.Length..]);
                continue;
            }

            if (pending.Count == 0)
            {
                pendingLine = number;
            }

            pending.Add(line.TrimStart().StartsWith('>') ? line.TrimStart()[1..] : line);
        }

        Flush();
        return blocks;
    }

    [GeneratedRegex(@"^\s{0,3}```(?<lang>.*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^(?<hashes>#{1,6})\s+(?<text>.*?)\s*#*\s*$")]
    private static partial Regex HeadingLine();

    [GeneratedRegex(@"^\s{0,3}(?<marker>[-*+]|\d+\.)\s+")]
    private static partial Regex ListMarker();
}
