using System.Text;
using System.Xml;
using AiSwitch.HelpGen;
using AiSwitch.HelpGen.Markdown;
using AiSwitch.HelpGen.Metadata;

// Run by AiSwitch.PowerShell.csproj after each build that changed the cmdlets or the pages:
//   AiSwitch.HelpGen --assembly AiSwitch.PowerShell.dll --reference <dir or dll>... --root <repository>
//                    --pages docs/cmdlets --about docs/about --out artifacts/module/AiSwitch/en-US
const string usage = "usage: AiSwitch.HelpGen --assembly <cmdlets.dll> [--reference <dll or folder>]... --root <repository> --pages <folder> --about <folder> --out <folder>";

var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal))
    {
        Console.Error.WriteLine($"'{args[i]}' is not an option. {usage}");
        return 2;
    }

    (options.TryGetValue(args[i], out var values) ? values : options[args[i]] = []).Add(args[i + 1]);
}

string[] required = ["--assembly", "--root", "--pages", "--about", "--out"];
if (args.Length % 2 != 0 || required.Any(r => !options.ContainsKey(r)))
{
    Console.Error.WriteLine(usage);
    return 2;
}

var root = Path.GetFullPath(options["--root"][0]);
var assembly = Path.GetFullPath(options["--assembly"][0]);
var output = Path.GetFullPath(options["--out"][0]);

static List<(string File, string Text)> Read(string root, string folder, string pattern)
    => Directory.EnumerateFiles(Path.Combine(root, folder), pattern)
        .Order(StringComparer.Ordinal)
        .Select(f => (Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText(f)))
        .ToList();

var problems = new List<HelpProblem>();
var cmdlets = CmdletAssemblyReader.Read(assembly, options.GetValueOrDefault("--reference") ?? [], problems);
var pagesFolder = options["--pages"][0].TrimEnd('/', '\\');
var maml = HelpBuilder.BuildCommandHelp(cmdlets, Read(root, pagesFolder, "*.md"), pagesFolder, problems);
var topics = HelpBuilder.BuildAboutTopics(Read(root, options["--about"][0], "about_*.md"), problems);

if (problems.Count > 0 || maml is null)
{
    foreach (var problem in problems)
    {
        Console.Error.WriteLine(problem);
    }

    Console.Error.WriteLine($"Help was not built: {problems.Count} problem(s) above. Each names the page (or class) and what it lacks.");
    return 1;
}

Directory.CreateDirectory(output);
var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
using (var writer = XmlWriter.Create(Path.Combine(output, Path.GetFileName(assembly) + "-Help.xml"), new XmlWriterSettings { Indent = true, Encoding = utf8, NewLineChars = "\n" }))
{
    maml.Save(writer);
}

foreach (var (fileName, text) in topics)
{
    File.WriteAllText(Path.Combine(output, fileName), text, utf8);
}

Console.WriteLine($"Help for {cmdlets.Count} cmdlets and {topics.Count} about topics written to {output}");
return 0;
