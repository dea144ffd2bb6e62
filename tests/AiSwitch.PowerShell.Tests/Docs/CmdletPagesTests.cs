using AiSwitch.PowerShell.Tests.Infrastructure;
using Xunit;

namespace AiSwitch.PowerShell.Tests.Docs;

/// <summary>Every cmdlet in the built module has its page (docs/cmdlets/Verb-Noun.md, with an example) and its Pester file.</summary>
public sealed class CmdletPagesTests
{
    [Fact]
    public void EveryCmdletHasAPageAndPesterTests()
    {
        var missing = Missing(InspectedAssembly.Module.Cmdlets.Select(c => c.Name), Repository.Root).ToList();
        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
    }

    [Fact]
    public void MissingPagesAndPesterFilesAreReported()
    {
        var missing = Missing(["Frob-AiWidget"], Repository.Root).ToList();
        Assert.Equal(["Frob-AiWidget: docs/cmdlets/Frob-AiWidget.md is missing", "Frob-AiWidget: pester/Frob-AiWidget.Tests.ps1 is missing"], missing);
    }

    internal static IEnumerable<string> Missing(IEnumerable<string> cmdlets, string root)
    {
        foreach (var name in cmdlets)
        {
            var page = Path.Combine(root, "docs", "cmdlets", name + ".md");
            if (!File.Exists(page))
            {
                yield return $"{name}: docs/cmdlets/{name}.md is missing";
            }
            else if (!File.ReadAllText(page).Contains("```powershell", StringComparison.Ordinal))
            {
                yield return $"{name}: docs/cmdlets/{name}.md has no ```powershell example";
            }

            if (!File.Exists(Path.Combine(root, "pester", name + ".Tests.ps1")))
            {
                yield return $"{name}: pester/{name}.Tests.ps1 is missing";
            }
        }
    }
}
