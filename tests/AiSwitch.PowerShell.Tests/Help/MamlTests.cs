using System.Xml.Linq;
using AiSwitch.HelpGen;
using AiSwitch.PowerShell.Tests.Infrastructure;
using Xunit;

namespace AiSwitch.PowerShell.Tests.Help;

/// <summary>
/// The generator run as the build runs it, over the real module and docs/: the MAML has every part Get-Help reads
/// for every cmdlet, and an incomplete page stops it with an error naming the page and what is missing.
/// </summary>
public sealed class MamlTests : IDisposable
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private readonly string _temp = Directory.CreateTempSubdirectory("aiswitch-help-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void EveryCmdletHasEveryPartOfHelp()
    {
        var (code, _, error) = Generate(Repository.Root, _temp);
        Assert.True(code == 0, error);
        var document = XDocument.Load(Path.Combine(_temp, "AiSwitch.PowerShell.dll-Help.xml"));

        Assert.Equal(Msh + "helpItems", document.Root!.Name);
        Assert.Equal("maml", (string?)document.Root.Attribute("schema"));
        var commands = document.Root.Elements(Command + "command").ToList();
        Assert.Equal(InspectedAssembly.Module.Cmdlets.Select(c => c.Name), commands.Select(c => (string)c.Element(Command + "details")!.Element(Command + "name")!));
        Assert.All(commands, command =>
        {
            var name = (string)command.Element(Command + "details")!.Element(Command + "name")!;
            var details = command.Element(Command + "details")!;
            Assert.Equal(name, $"{(string)details.Element(Command + "verb")!}-{(string)details.Element(Command + "noun")!}");
            Assert.False(string.IsNullOrWhiteSpace(Para(details.Element(Maml + "description"))), $"{name}: no synopsis");
            Assert.False(string.IsNullOrWhiteSpace(Para(command.Element(Maml + "description"))), $"{name}: no description");
            Assert.NotEmpty(command.Element(Command + "syntax")!.Elements(Command + "syntaxItem"));
            Assert.All(command.Element(Command + "syntax")!.Elements(Command + "syntaxItem"), item => Assert.Equal(name, (string)item.Element(Maml + "name")!));
            Assert.All(command.Element(Command + "parameters")!.Elements(Command + "parameter"), parameter =>
            {
                Assert.False(string.IsNullOrWhiteSpace(Para(parameter.Element(Maml + "description"))), $"{name} -{(string)parameter.Element(Maml + "name")!}: no text");
                Assert.NotNull(parameter.Element(Dev + "type")?.Element(Maml + "name"));
                Assert.NotNull(parameter.Element(Dev + "defaultValue"));
            });
            Assert.NotEmpty(command.Element(Command + "inputTypes")!.Elements(Command + "inputType"));
            Assert.NotEmpty(command.Element(Command + "returnValues")!.Elements(Command + "returnValue"));
            var examples = command.Element(Command + "examples")!.Elements(Command + "example").ToList();
            Assert.NotEmpty(examples);
            Assert.All(examples, example =>
            {
                Assert.StartsWith("---------- Example ", (string)example.Element(Maml + "title")!, StringComparison.Ordinal);
                Assert.False(string.IsNullOrWhiteSpace((string?)example.Element(Dev + "code")), $"{name}: an example without code");
                Assert.False(string.IsNullOrWhiteSpace(Para(example.Element(Dev + "remarks"))), $"{name}: an example without explanation");
            });
            Assert.NotNull(command.Element(Command + "relatedLinks"));
        });
    }

    [Fact]
    public void SyntaxItemsAndParametersCarryTheCmdletsFacts()
    {
        var (code, _, error) = Generate(Repository.Root, _temp);
        Assert.True(code == 0, error);
        var commands = XDocument.Load(Path.Combine(_temp, "AiSwitch.PowerShell.dll-Help.xml")).Root!.Elements(Command + "command")
            .ToDictionary(c => (string)c.Element(Command + "details")!.Element(Command + "name")!);

        var invoke = commands["Invoke-AiTask"];
        var items = invoke.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
        Assert.Equal(2, items.Count);
        Assert.DoesNotContain(items[0].Elements(Command + "parameter"), p => (string)p.Element(Maml + "name")! == "AsJob");
        var asJob = items[1].Elements(Command + "parameter").Single(p => (string)p.Element(Maml + "name")! == "AsJob");
        Assert.Equal("true", (string?)asJob.Attribute("required"));
        Assert.Null(asJob.Element(Command + "parameterValue")); // a switch shows as -AsJob
        var distribute = items[0].Elements(Command + "parameter").Single(p => (string)p.Element(Maml + "name")! == "Distribute");
        Assert.Equal(
            ["RoundRobin", "LeastBusy", "Capability", "Hash"],
            distribute.Element(Command + "parameterValueGroup")!.Elements(Command + "parameterValue").Select(v => (string)v));

        var name = commands["Get-AiPreset"].Element(Command + "parameters")!.Elements(Command + "parameter").Single();
        Assert.Equal(
            [("required", "false"), ("variableLength", "true"), ("globbing", "true"), ("pipelineInput", "True (ByPropertyName, ByValue)"), ("position", "0"), ("aliases", "none")],
            name.Attributes().Select(a => (a.Name.LocalName, a.Value)));
        Assert.Equal("String[]", (string)name.Element(Command + "parameterValue")!);

        var whatIf = commands["Remove-AiPreset"].Element(Command + "parameters")!.Elements(Command + "parameter").Single(p => (string)p.Element(Maml + "name")! == "WhatIf");
        Assert.Equal("wi", (string?)whatIf.Attribute("aliases"));
        Assert.Equal("Lists the presets that would be removed. Nothing is deleted.", Para(whatIf.Element(Maml + "description")));
    }

    [Fact]
    public void AnIncompletePageStopsTheBuildNamingThePageAndWhatItLacks()
    {
        var root = Path.Combine(_temp, "repo");
        CopyDocs(root);
        var page = Path.Combine(root, "docs", "cmdlets", "Stop-AiTask.md");
        var text = File.ReadAllText(page);
        var withoutTaskId = text.Remove(text.IndexOf("### -TaskId", StringComparison.Ordinal), text.IndexOf("### -WhatIf", StringComparison.Ordinal) - text.IndexOf("### -TaskId", StringComparison.Ordinal));
        File.WriteAllText(page, withoutTaskId.Replace("## Synopsis\n\nCancels background tasks of this session.\n", "## Synopsis\n", StringComparison.Ordinal));
        var output = Path.Combine(_temp, "out");

        var (code, _, error) = Generate(root, output);

        Assert.Equal(1, code);
        Assert.Contains("docs/cmdlets/Stop-AiTask.md(3): error AIHELP: '## Synopsis' is empty; write one short paragraph", error, StringComparison.Ordinal);
        Assert.Contains("docs/cmdlets/Stop-AiTask.md: error AIHELP: -TaskId has no text; add '### -TaskId' under '## Parameters'", error, StringComparison.Ordinal);
        Assert.Contains("Help was not built: 2 problem(s) above.", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), "nothing is written when a page is incomplete");
    }

    [Fact]
    public void AMissingOptionIsAUsageError()
    {
        var error = new StringWriter();
        Assert.Equal(2, HelpGenCommand.Run(["--assembly", Repository.CmdletAssemblyPath], TextWriter.Null, error));
        Assert.StartsWith("usage: AiSwitch.HelpGen --assembly", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheBuiltModuleCarriesTheHelpAndTheAboutTopics()
    {
        var help = Path.Combine(Repository.ModuleDir, "en-US", "AiSwitch.PowerShell.dll-Help.xml");
        Assert.True(File.Exists(help), $"{help} is missing; dotnet build of src/AiSwitch.PowerShell lays it out (target BuildHelp).");
        Assert.Equal(
            InspectedAssembly.Module.Cmdlets.Select(c => c.Name),
            XDocument.Load(help).Root!.Elements(Command + "command").Select(c => (string)c.Element(Command + "details")!.Element(Command + "name")!));
        Assert.Equal(
            ["about_AiSwitch.help.txt", "about_AiSwitch_Presets.help.txt", "about_AiSwitch_Tasks.help.txt"],
            Directory.EnumerateFiles(Path.Combine(Repository.ModuleDir, "en-US"), "about_*.help.txt").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private static (int Code, string Output, string Error) Generate(string root, string output)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = HelpGenCommand.Run(
            [
                "--assembly", Repository.CmdletAssemblyPath,
                "--reference", Repository.AutomationAssemblyPath,
                "--reference", Repository.ContractsAssemblyPath,
                "--reference", Repository.DependenciesDir,
                "--root", root,
                "--pages", "docs/cmdlets",
                "--about", "docs/about",
                "--out", output,
            ],
            stdout,
            stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static void CopyDocs(string root)
    {
        foreach (var folder in new[] { "cmdlets", "about" })
        {
            var target = Directory.CreateDirectory(Path.Combine(root, "docs", folder)).FullName;
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Repository.Root, "docs", folder), "*.md"))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }
    }

    private static string Para(XElement? description)
        => string.Join('\n', description?.Elements(Maml + "para").Select(p => p.Value) ?? []);
}
