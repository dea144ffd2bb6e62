using System.Text;
using AiSwitch.HelpGen.Markdown;

namespace AiSwitch.HelpGen.About;

/// <summary>
/// Turns docs/about/about_X.md ("# about_X", "## Short description", "## Long description", more "##" and "###"
/// sections) into the about_X.help.txt that Get-Help about_X shows, wrapped at 80 columns.
/// </summary>
internal static class AboutTopicWriter
{
    private const int Width = 80;
    private const string Indent = "    ";

    public static string? Write(string file, string markdown, List<HelpProblem> problems)
    {
        var markdownProblems = new List<(int Line, string Message)>();
        var blocks = MarkdownReader.Read(markdown, markdownProblems);
        problems.AddRange(markdownProblems.Select(p => new HelpProblem(file, p.Line, p.Message)));
        var before = problems.Count;
        var name = Path.GetFileNameWithoutExtension(file);
        if (blocks.FirstOrDefault() is not Heading { Level: 1 } title || title.Text != name)
        {
            problems.Add(new HelpProblem(file, 1, $"the topic must start with the title '# {name}'"));
        }

        var shortDescription = Section(blocks, "Short description");
        if (shortDescription is not [Paragraph])
        {
            problems.Add(new HelpProblem(file, 1, "'## Short description' must be one paragraph (Get-Help shows it as the topic's synopsis)"));
        }

        if (Section(blocks, "Long description") is not [_, ..])
        {
            problems.Add(new HelpProblem(file, 1, "the topic has no '## Long description'"));
        }

        foreach (var table in blocks.OfType<Table>())
        {
            problems.Add(new HelpProblem(file, table.Line, "a table cannot be shown in a help topic; write it as a list (- item) instead"));
        }

        if (problems.Count > before)
        {
            return null;
        }

        // Get-Help takes the fifth line as the topic's synopsis, so the layout of the first five lines is fixed.
        var text = new StringBuilder()
            .Append("TOPIC\n").Append(Indent).Append(name).Append("\n\n")
            .Append("SHORT DESCRIPTION\n").Append(Indent).Append(Inline.ToText(((Paragraph)shortDescription![0]).Text)).Append('\n');
        var skipping = true;
        Block? previous = null;
        foreach (var block in blocks.Skip(1))
        {
            var follows = previous;
            previous = block;
            if (block is Heading { Level: 2 } section)
            {
                skipping = string.Equals(section.Text, "Short description", StringComparison.OrdinalIgnoreCase);
                if (!skipping)
                {
                    text.Append('\n').Append(section.Text.ToUpperInvariant()).Append('\n');
                }

                continue;
            }

            if (skipping)
            {
                continue;
            }

            text.Append(block switch
            {
                Heading heading => $"\n  {Inline.ToText(heading.Text)}\n",
                Paragraph paragraph => "\n" + Wrap(Inline.ToText(paragraph.Text), Indent, Indent),
                ListItem item => (follows is ListItem ? string.Empty : "\n") + Wrap(Inline.ToText(item.Text), $"{Indent}{item.Marker} ", new string(' ', Indent.Length + item.Marker.Length + 1)),
                CodeBlock code => "\n" + string.Concat(code.Lines.Select(l => (l.Length == 0 ? string.Empty : Indent + Indent + l) + "\n")),
                _ => string.Empty,
            });
        }

        return text.ToString();
    }

    private static List<Block>? Section(IReadOnlyList<Block> blocks, string name)
    {
        var start = blocks.ToList().FindIndex(b => b is Heading { Level: 2 } h && string.Equals(h.Text, name, StringComparison.OrdinalIgnoreCase));
        return start < 0 ? null : blocks.Skip(start + 1).TakeWhile(b => b is not Heading { Level: <= 2 }).ToList();
    }

    private static string Wrap(string text, string first, string rest)
    {
        var result = new StringBuilder();
        var line = new StringBuilder(first);
        var empty = true;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > Width)
            {
                result.Append(line).Append('\n');
                line.Clear().Append(rest);
                empty = true;
            }

            line.Append(empty ? string.Empty : " ").Append(word);
            empty = false;
        }

        return result.Append(line).Append('\n').ToString();
    }
}
