using System.Text.RegularExpressions;
using AiSwitch.HelpGen.Markdown;

namespace AiSwitch.HelpGen.Pages;

/// <summary>
/// Reads a cmdlet page: "# Verb-Noun", then "## Synopsis", "## Syntax", "## Description", "## Parameters" (a
/// "### -Name" per parameter), "## Examples" (a "### Example N: title" per example: ```powershell code and its
/// explanation), "## Inputs" and "## Outputs" (a "### TypeName" each), and optionally "## Notes", "## Errors" and
/// "## Related links" (a list). Everything a page lacks or gets wrong is added to the problems, with its line.
/// </summary>
internal static partial class CmdletPageReader
{
    public const string Synopsis = "Synopsis";
    public const string Syntax = "Syntax";
    public const string Description = "Description";
    public const string Parameters = "Parameters";
    public const string Examples = "Examples";
    public const string Inputs = "Inputs";
    public const string Outputs = "Outputs";
    public const string Notes = "Notes";
    public const string Errors = "Errors";
    public const string RelatedLinks = "Related links";

    private static readonly string[] Known = [Synopsis, Syntax, Description, Parameters, Examples, Inputs, Outputs, Notes, Errors, RelatedLinks];
    private static readonly string[] Required = [Synopsis, Description, Examples, Inputs, Outputs];

    /// <param name="file">The page as the problems name it (a path relative to the repository).</param>
    public static CmdletPage Read(string file, string text, List<HelpProblem> problems)
    {
        var markdownProblems = new List<(int Line, string Message)>();
        var blocks = MarkdownReader.Read(text, markdownProblems);
        problems.AddRange(markdownProblems.Select(p => new HelpProblem(file, p.Line, p.Message)));
        foreach (var table in blocks.OfType<Table>())
        {
            problems.Add(new HelpProblem(file, table.Line, "a table cannot be shown by Get-Help; write it as a list (- item) instead"));
        }

        var expectedName = Path.GetFileNameWithoutExtension(file);
        var name = expectedName;
        if (blocks.FirstOrDefault() is Heading { Level: 1 } title)
        {
            name = title.Text;
            if (!string.Equals(name, expectedName, StringComparison.Ordinal))
            {
                problems.Add(new HelpProblem(file, title.Line, $"the title '# {name}' does not match the file name; it must be '# {expectedName}'"));
            }
        }
        else
        {
            problems.Add(new HelpProblem(file, 1, $"the page must start with the title '# {expectedName}'"));
        }

        var sections = Sections(file, blocks, problems);
        foreach (var missing in Required.Where(s => !sections.ContainsKey(s)))
        {
            problems.Add(new HelpProblem(file, 1, $"the page has no '## {missing}' section"));
        }

        var page = new CmdletPage(
            file,
            name,
            ReadSynopsis(file, sections, problems),
            ReadProse(file, sections, Description, problems, required: true),
            ReadParameters(file, sections, problems),
            ReadExamples(file, sections, problems),
            ReadTypes(file, sections, Inputs, problems),
            ReadTypes(file, sections, Outputs, problems),
            ReadProse(file, sections, Notes, problems, required: false),
            ReadProse(file, sections, Errors, problems, required: false),
            ReadLinks(file, sections, problems),
            ReadSyntax(sections));
        return page;
    }

    private static Dictionary<string, (Heading Heading, List<Block> Blocks)> Sections(string file, IReadOnlyList<Block> blocks, List<HelpProblem> problems)
    {
        var sections = new Dictionary<string, (Heading, List<Block>)>(StringComparer.OrdinalIgnoreCase);
        List<Block>? current = null;
        foreach (var block in blocks.Skip(blocks.FirstOrDefault() is Heading { Level: 1 } ? 1 : 0))
        {
            switch (block)
            {
                case Heading { Level: 1 } extra:
                    problems.Add(new HelpProblem(file, extra.Line, $"a second title '# {extra.Text}'; sections are '## Name'"));
                    break;
                case Heading { Level: 2 } heading:
                    var known = Known.FirstOrDefault(k => string.Equals(k, heading.Text, StringComparison.OrdinalIgnoreCase));
                    current = [];
                    if (known is null)
                    {
                        problems.Add(new HelpProblem(file, heading.Line, $"unknown section '## {heading.Text}'; the sections are {string.Join(", ", Known.Select(k => $"'## {k}'"))}"));
                    }
                    else if (!sections.TryAdd(known, (heading, current)))
                    {
                        problems.Add(new HelpProblem(file, heading.Line, $"a second '## {known}' section"));
                    }

                    break;
                default:
                    if (current is null)
                    {
                        problems.Add(new HelpProblem(file, block.Line, "text before the first '## Synopsis' section"));
                        current = [];
                    }

                    current.Add(block);
                    break;
            }
        }

        return sections;
    }

    private static string? ReadSynopsis(string file, Dictionary<string, (Heading Heading, List<Block> Blocks)> sections, List<HelpProblem> problems)
    {
        if (!sections.TryGetValue(Synopsis, out var section))
        {
            return null;
        }

        if (section.Blocks is [Paragraph paragraph])
        {
            return Inline.ToText(paragraph.Text);
        }

        problems.Add(new HelpProblem(file, section.Heading.Line, section.Blocks.Count == 0
            ? "'## Synopsis' is empty; write one short paragraph"
            : "'## Synopsis' must be one short paragraph (no lists, code or second paragraph)"));
        return null;
    }

    private static List<Block> ReadProse(string file, Dictionary<string, (Heading Heading, List<Block> Blocks)> sections, string name, List<HelpProblem> problems, bool required)
    {
        if (!sections.TryGetValue(name, out var section))
        {
            return [];
        }

        if (section.Blocks.Count == 0 && required)
        {
            problems.Add(new HelpProblem(file, section.Heading.Line, $"'## {name}' is empty"));
        }

        return section.Blocks.Where(b => b is not Table).ToList();
    }

    private static List<ParameterText> ReadParameters(string file, Dictionary<string, (Heading Heading, List<Block> Blocks)> sections, List<HelpProblem> problems)
    {
        var parameters = new List<ParameterText>();
        foreach (var (heading, text) in Subsections(file, sections, Parameters, "### -ParameterName", problems))
        {
            var names = heading.Text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (names.Length == 0 || names.Any(n => !ParameterName().IsMatch(n)))
            {
                problems.Add(new HelpProblem(file, heading.Line, $"'### {heading.Text}' is not a parameter heading; write '### -Name' (or '### -A, -B' for text they share)"));
                continue;
            }

            if (!text.Any(b => b is Paragraph or ListItem))
            {
                problems.Add(new HelpProblem(file, heading.Line, $"'### {heading.Text}' has no text"));
            }

            parameters.Add(new ParameterText(heading.Line, names.Select(n => n[1..]).ToList(), text));
        }

        return parameters;
    }

    private static List<Example> ReadExamples(string file, Dictionary<string, (Heading Heading, List<Block> Blocks)> sections, List<HelpProblem> problems)
    {
        var examples = new List<Example>();
        foreach (var (heading, blocks) in Subsections(file, sections, Examples, "### Example 1: What it shows", problems))
        {
            var code = blocks.OfType<CodeBlock>().FirstOrDefault(c => c.Language is "powershell");
            var remarks = blocks.Where(b => b != code).ToList();
            if (code is null)
            {
                problems.Add(new HelpProblem(file, heading.Line, $"example '{heading.Text}' has no ```powershell code block"));
            }

            if (!remarks.Any(b => b is Paragraph or ListItem))
            {
                problems.Add(new HelpProblem(file, heading.Line, $"example '{heading.Text}' has no text that explains it"));
            }

            examples.Add(new Example(heading.Line, heading.Text, code is null ? null : string.Join('\n', code.Lines).TrimEnd(), remarks));
        }

        if (examples.Count == 0 && sections.TryGetValue(Examples, out var section))
        {
            problems.Add(new HelpProblem(file, section.Heading.Line, "'## Examples' has no example; add '### Example 1: What it shows' with ```powershell code and a sentence that explains it"));
        }

        return examples;
    }

    private static List<TypeText> ReadTypes(string file, Dictionary<string, (Heading Heading, List<Block> Blocks)> sections, string name, List<HelpProblem> problems)
    {
        var types = Subsections(file, sections, name, "### TypeName (or ### None)", problems)
            .Select(s => new TypeText(s.Heading.Line, Inline.ToText(s.Heading.Text), s.Blocks))
            .ToList();
        if (types.Count == 0 && sections.TryGetValue(name, out var section))
        {
            problems.Add(new HelpProblem(file, section.Heading.Line, $"'## {name}' names no type; write '### TypeName' (or '### None')"));
        }

        return types;
    }

    private static List<RelatedLink> ReadLinks(string file, Dictionary<string, (Heading Heading, List<Block> Blocks)> sections, List<HelpProblem> problems)
    {
        if (!sections.TryGetValue(RelatedLinks, out var section))
        {
            return [];
        }

        var links = new List<RelatedLink>();
        foreach (var block in section.Blocks)
        {
            if (block is not ListItem item)
            {
                problems.Add(new HelpProblem(file, block.Line, "'## Related links' must be a list, one link per '- ' item"));
                continue;
            }

            var link = LinkItem().Match(item.Text.Trim());
            links.Add(link.Success
                ? new RelatedLink(link.Groups["text"].Value.Trim('`'), link.Groups["url"].Value.StartsWith("http", StringComparison.Ordinal) ? link.Groups["url"].Value : string.Empty)
                : new RelatedLink(Inline.ToText(item.Text), string.Empty));
        }

        return links;
    }

    private static SyntaxBlock? ReadSyntax(Dictionary<string, (Heading Heading, List<Block> Blocks)> sections)
        => sections.TryGetValue(Syntax, out var section)
            ? new SyntaxBlock(
                section.Heading.Line,
                section.Blocks.OfType<CodeBlock>().SelectMany(c => c.Lines)
                    .SelectMany(l => SyntaxParameter().Matches(l).Select(m => m.Groups["name"].Value))
                    .Distinct(StringComparer.OrdinalIgnoreCase)
                    .ToList())
            : null;

    /// <summary>The "### " subsections of a section; text before the first one is a problem.</summary>
    private static List<(Heading Heading, List<Block> Blocks)> Subsections(
        string file, Dictionary<string, (Heading Heading, List<Block> Blocks)> sections, string name, string form, List<HelpProblem> problems)
    {
        var result = new List<(Heading, List<Block>)>();
        if (!sections.TryGetValue(name, out var section))
        {
            return result;
        }

        var strayReported = false;
        foreach (var block in section.Blocks)
        {
            if (block is Heading { Level: 3 } heading)
            {
                result.Add((heading, []));
            }
            else if (result.Count == 0 || block is Heading)
            {
                if (!strayReported)
                {
                    problems.Add(new HelpProblem(file, block.Line, $"under '## {name}' everything belongs to a '{form}' subsection"));
                    strayReported = true;
                }
            }
            else
            {
                result[^1].Item2.Add(block);
            }
        }

        return result;
    }

    [GeneratedRegex(@"^-[A-Za-z][A-Za-z0-9]*$")]
    private static partial Regex ParameterName();

    [GeneratedRegex(@"^\[(?<text>[^\]]+)\]\((?<url>[^)\s]+)\)$")]
    private static partial Regex LinkItem();

    [GeneratedRegex(@"(?<![\w-])-(?<name>[A-Za-z][A-Za-z0-9]*)")]
    private static partial Regex SyntaxParameter();
}
