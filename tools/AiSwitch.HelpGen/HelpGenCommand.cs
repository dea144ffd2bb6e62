using System.Text;
using System.Xml;
using AiSwitch.HelpGen.Markdown;
using AiSwitch.HelpGen.Metadata;

namespace AiSwitch.HelpGen;

/// <summary>
/// The command line: reads the cmdlet assembly and the pages, and writes the help files, or lists every problem in
/// MSBuild's error format and writes nothing. Exit codes: 0 written, 1 problems, 2 bad usage.
/// </summary>
internal static class HelpGenCommand
{
    public const string Usage = "usage: AiSwitch.HelpGen --assembly <cmdlets.dll> [--reference <dll or folder>]... --root <repository> --pages <folder> --about <folder> --out <folder>";

    private static readonly string[] Required = ["--assembly", "--root", "--pages", "--about", "--out"];

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                error.WriteLine($"'{args[i]}' is not an option. {Usage}");
                return 2;
            }

            (options.TryGetValue(args[i], out var values) ? values : options[args[i]] = []).Add(args[i + 1]);
        }

        if (args.Length % 2 != 0 || Required.Any(r => !options.ContainsKey(r)))
        {
            error.WriteLine(Usage);
            return 2;
        }

        var root = Path.GetFullPath(options["--root"][0]);
        var assembly = Path.GetFullPath(options["--assembly"][0]);
        var destination = Path.GetFullPath(options["--out"][0]);
        var pagesFolder = options["--pages"][0].TrimEnd('/', '\\');

        var problems = new List<HelpProblem>();
        var cmdlets = CmdletAssemblyReader.Read(assembly, options.GetValueOrDefault("--reference") ?? [], problems);
        var maml = HelpBuilder.BuildCommandHelp(cmdlets, Read(root, pagesFolder, "*.md"), pagesFolder, problems);
        var topics = HelpBuilder.BuildAboutTopics(Read(root, options["--about"][0], "about_*.md"), problems);
        if (problems.Count > 0 || maml is null)
        {
            foreach (var problem in problems)
            {
                error.WriteLine(problem);
            }

            error.WriteLine($"Help was not built: {problems.Count} problem(s) above. Each names the page (or class) and what it lacks.");
            return 1;
        }

        Directory.CreateDirectory(destination);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        using (var writer = XmlWriter.Create(Path.Combine(destination, Path.GetFileName(assembly) + "-Help.xml"), new XmlWriterSettings { Indent = true, Encoding = utf8, NewLineChars = "\n" }))
        {
            maml.Save(writer);
        }

        foreach (var (fileName, text) in topics)
        {
            File.WriteAllText(Path.Combine(destination, fileName), text, utf8);
        }

        output.WriteLine($"Help for {cmdlets.Count} cmdlets and {topics.Count} about topics written to {destination}");
        return 0;
    }

    private static List<(string File, string Text)> Read(string root, string folder, string pattern)
        => Directory.Exists(Path.Combine(root, folder))
            ? Directory.EnumerateFiles(Path.Combine(root, folder), pattern)
                .Order(StringComparer.Ordinal)
                .Select(f => (Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText(f)))
                .ToList()
            : [];
}
