using System.Xml.Linq;
using AiSwitch.HelpGen.About;
using AiSwitch.HelpGen.Maml;
using AiSwitch.HelpGen.Markdown;
using AiSwitch.HelpGen.Metadata;
using AiSwitch.HelpGen.Pages;

namespace AiSwitch.HelpGen;

/// <summary>
/// Matches the cmdlets to their pages, checks that every page says what help needs, and builds the MAML document
/// and the about topics. Nothing is built while anything is missing: every problem is reported at once.
/// </summary>
internal static class HelpBuilder
{
    /// <param name="pages">Each page's name for problems (relative to the repository) and its markdown.</param>
    public static XDocument? BuildCommandHelp(IReadOnlyList<CmdletMetadata> cmdlets, IReadOnlyList<(string File, string Text)> pages, string pagesFolder, List<HelpProblem> problems)
    {
        var read = pages.Select(p => CmdletPageReader.Read(p.File, p.Text, problems)).ToList();
        var byName = read.ToDictionary(p => Path.GetFileNameWithoutExtension(p.File), StringComparer.OrdinalIgnoreCase);
        var matched = new List<(CmdletMetadata, CmdletPage)>();
        foreach (var cmdlet in cmdlets)
        {
            if (byName.Remove(cmdlet.Name, out var page))
            {
                Check(cmdlet, page, problems);
                matched.Add((cmdlet, page));
            }
            else
            {
                problems.Add(new HelpProblem($"{pagesFolder}/{cmdlet.Name}.md", null, $"{cmdlet.Name} has no page; write {pagesFolder}/{cmdlet.Name}.md"));
            }
        }

        foreach (var stray in byName.Values)
        {
            problems.Add(new HelpProblem(stray.File, 1, $"the module has no cmdlet {stray.Name}; remove the page or fix its name"));
        }

        return problems.Count == 0 ? MamlWriter.Write(matched) : null;
    }

    /// <returns>Each topic's file name (about_X.help.txt) and text, or nothing when a topic has a problem.</returns>
    public static IReadOnlyList<(string FileName, string Text)> BuildAboutTopics(IReadOnlyList<(string File, string Text)> topics, List<HelpProblem> problems)
        => topics
            .Select(t => (FileName: Path.GetFileNameWithoutExtension(t.File) + ".help.txt", Text: AboutTopicWriter.Write(t.File, t.Text, problems)))
            .Where(t => t.Text is not null)
            .Select(t => (t.FileName, t.Text!))
            .ToList();

    /// <summary>What a page must say about its cmdlet: every parameter, and no parameter the cmdlet lacks.</summary>
    internal static void Check(CmdletMetadata cmdlet, CmdletPage page, List<HelpProblem> problems)
    {
        var documented = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var text in page.Parameters)
        {
            foreach (var name in text.Names)
            {
                if (!cmdlet.Parameters.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    problems.Add(new HelpProblem(page.File, text.Line, $"-{name} is documented, but {cmdlet.Name} has no such parameter; {Known(cmdlet)}"));
                }
                else if (!documented.Add(name))
                {
                    problems.Add(new HelpProblem(page.File, text.Line, $"-{name} is documented twice"));
                }
            }
        }

        foreach (var missing in cmdlet.Parameters.Where(p => !p.IsCommon && !documented.Contains(p.Name)))
        {
            problems.Add(new HelpProblem(page.File, null, $"-{missing.Name} has no text; add '### -{missing.Name}' under '## Parameters'"));
        }

        if (page.Syntax is { } syntax)
        {
            foreach (var name in syntax.ParameterNames.Where(n => !cmdlet.Parameters.Any(p => string.Equals(p.Name, n, StringComparison.OrdinalIgnoreCase))))
            {
                problems.Add(new HelpProblem(page.File, syntax.Line, $"the syntax names -{name}, but {cmdlet.Name} has no such parameter; {Known(cmdlet)}"));
            }

            foreach (var missing in cmdlet.Parameters.Where(p => !syntax.ParameterNames.Contains(p.Name, StringComparer.OrdinalIgnoreCase)))
            {
                problems.Add(new HelpProblem(page.File, syntax.Line, $"the syntax lacks -{missing.Name}"));
            }
        }
    }

    private static string Known(CmdletMetadata cmdlet) => $"its parameters are {string.Join(", ", cmdlet.Parameters.Select(p => "-" + p.Name))}";
}
