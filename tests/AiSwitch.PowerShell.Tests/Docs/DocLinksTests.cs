using System.Text.RegularExpressions;
using AiSwitch.PowerShell.Tests.Infrastructure;
using Xunit;

namespace AiSwitch.PowerShell.Tests.Docs;

/// <summary>Every relative link in README.md and docs/ names a file that exists.</summary>
public sealed partial class DocLinksTests
{
    [Fact]
    public void EveryRelativeLinkResolves()
    {
        var pages = Directory.EnumerateFiles(Path.Combine(Repository.Root, "docs"), "*.md", SearchOption.AllDirectories)
            .Append(Path.Combine(Repository.Root, "README.md"));
        var broken = pages.SelectMany(page => BrokenLinks(page, File.ReadAllText(page))).ToList();
        Assert.True(broken.Count == 0, string.Join(Environment.NewLine, broken));
    }

    [Fact]
    public void ABrokenLinkIsReported()
    {
        var page = Path.Combine(Repository.Root, "docs", "index.md");
        var broken = BrokenLinks(page, "[ok](concepts.md#atomic-state) [web](https://example.com/x.md) [anchor](#top) [gone](cmdlets/Frob-AiWidget.md)");
        Assert.Equal(["docs/index.md: 'cmdlets/Frob-AiWidget.md' does not exist"], broken);
    }

    internal static IEnumerable<string> BrokenLinks(string page, string markdown)
    {
        var folder = Path.GetDirectoryName(page)!;
        foreach (Match link in MarkdownLink().Matches(markdown))
        {
            var target = link.Groups["target"].Value.Split('#')[0];
            if (target.Length == 0 || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }

            if (!File.Exists(Path.Combine(folder, target)) && !Directory.Exists(Path.Combine(folder, target)))
            {
                yield return $"{Path.GetRelativePath(Repository.Root, page).Replace('\\', '/')}: '{target}' does not exist";
            }
        }
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
