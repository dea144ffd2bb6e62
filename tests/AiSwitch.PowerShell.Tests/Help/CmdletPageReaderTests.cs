using AiSwitch.HelpGen.Markdown;
using AiSwitch.HelpGen.Pages;
using Xunit;

namespace AiSwitch.PowerShell.Tests.Help;

/// <summary>A cmdlet page is read into help's prose, and everything help needs that a page lacks is named with its line.</summary>
public sealed class CmdletPageReaderTests
{
    private const string File = "docs/cmdlets/Get-AiWidget.md";

    private const string Complete = """
        # Get-AiWidget

        ## Synopsis

        Gets widgets, with `Colour` shown as
        written.

        ## Syntax

        ```
        Get-AiWidget [[-Name] <String[]>] [-Colour <String>] [<CommonParameters>]
        ```

        ## Description

        Reads [the widget store](../widgets.md) under **the home**.

        - Names take wildcards (`*`, `?`).
        - A piped ``Name`` binds.

        ## Parameters

        ### -Name

        The widgets.

        ### -Colour, -Size

        Shared text.

        ## Examples

        ### Example 1: Every widget

        ```powershell
        Get-AiWidget
        ```

        Lists them all.

        ```output
        Name Colour
        ```

        ## Inputs

        ### System.String

        A name.

        ## Outputs

        ### AiSwitch.Widget

        The widgets.

        ## Notes

        A note.

        ## Errors

        - `WidgetNotFound` (-1): no such widget.

        ## Related links

        - [Set-AiWidget](Set-AiWidget.md)
        - [Online](https://example.com/widgets)
        - about_AiWidgets
        """;

    [Fact]
    public void ACompletePageGivesEveryPartOfHelpAndNoProblem()
    {
        var problems = new List<HelpProblem>();
        var page = CmdletPageReader.Read(File, Complete, problems);

        Assert.Empty(problems);
        Assert.Equal("Get-AiWidget", page.Name);
        Assert.Equal("Gets widgets, with Colour shown as written.", page.Synopsis);
        Assert.Equal(
            ["Reads the widget store under the home.", "- Names take wildcards ('*', '?').", "- A piped Name binds."],
            page.Description.Select(Inline.ToText));
        Assert.Equal([["Name"], ["Colour", "Size"]], page.Parameters.Select(p => p.Names));
        Assert.Equal(["The widgets.", "Shared text."], page.Parameters.Select(p => Inline.ToText(p.Text.Single())));
        var example = Assert.Single(page.Examples);
        Assert.Equal("Example 1: Every widget", example.Title);
        Assert.Equal("Get-AiWidget", example.Code);
        Assert.Equal(["Lists them all.", "Name Colour"], example.Remarks.Select(Inline.ToText));
        Assert.Equal("System.String", Assert.Single(page.Inputs).TypeName);
        Assert.Equal("AiSwitch.Widget", Assert.Single(page.Outputs).TypeName);
        Assert.Equal("A note.", Inline.ToText(Assert.Single(page.Notes)));
        Assert.Equal("- WidgetNotFound (-1): no such widget.", Inline.ToText(Assert.Single(page.Errors)));
        Assert.Equal(
            [new RelatedLink("Set-AiWidget", ""), new RelatedLink("Online", "https://example.com/widgets"), new RelatedLink("about_AiWidgets", "")],
            page.RelatedLinks);
        Assert.Equal(["Name", "Colour"], page.Syntax!.ParameterNames);
    }

    [Fact]
    public void APageWithOnlyItsTitleNamesEverySectionItLacks()
    {
        var problems = new List<HelpProblem>();
        CmdletPageReader.Read(File, "# Get-AiWidget\n", problems);

        Assert.Equal(
            [
                "docs/cmdlets/Get-AiWidget.md(1): error AIHELP: the page has no '## Synopsis' section",
                "docs/cmdlets/Get-AiWidget.md(1): error AIHELP: the page has no '## Description' section",
                "docs/cmdlets/Get-AiWidget.md(1): error AIHELP: the page has no '## Examples' section",
                "docs/cmdlets/Get-AiWidget.md(1): error AIHELP: the page has no '## Inputs' section",
                "docs/cmdlets/Get-AiWidget.md(1): error AIHELP: the page has no '## Outputs' section",
            ],
            problems.Select(p => p.ToString()));
    }

    [Fact]
    public void AnExampleWithoutCodeOrWithoutExplanationIsNamed()
    {
        var page = Complete.Replace(
            "### Example 1: Every widget\n\n```powershell\nGet-AiWidget\n```\n\nLists them all.\n\n```output\nName Colour\n```",
            "### Example 1: Words only\n\nJust words.\n\n### Example 2: Code only\n\n```powershell\nGet-AiWidget\n```",
            StringComparison.Ordinal);
        Assert.NotEqual(Complete, page);

        var problems = new List<HelpProblem>();
        CmdletPageReader.Read(File, page, problems);

        Assert.Equal(
            [
                "example 'Example 1: Words only' has no ```powershell code block",
                "example 'Example 2: Code only' has no text that explains it",
            ],
            problems.Select(p => p.Message));
    }

    [Fact]
    public void AnEmptySynopsisAndAnEmptyExamplesSectionAreNamed()
    {
        var page = Complete
            .Replace("Gets widgets, with `Colour` shown as\nwritten.\n", string.Empty, StringComparison.Ordinal)
            .Replace("### Example 1: Every widget\n\n```powershell\nGet-AiWidget\n```\n\nLists them all.\n\n```output\nName Colour\n```\n", string.Empty, StringComparison.Ordinal);

        var problems = new List<HelpProblem>();
        CmdletPageReader.Read(File, page, problems);

        Assert.Equal(
            [
                "docs/cmdlets/Get-AiWidget.md(3): error AIHELP: '## Synopsis' is empty; write one short paragraph",
                "docs/cmdlets/Get-AiWidget.md(29): error AIHELP: '## Examples' has no example; add '### Example 1: What it shows' with ```powershell code and a sentence that explains it",
            ],
            problems.Select(p => p.ToString()));
    }

    [Fact]
    public void ATableAnUnknownSectionAndAMisplacedParagraphAreNamedWithTheirLines()
    {
        var page = Complete
            .Replace("## Notes\n\nA note.", "## Example\n\n| a | b |\n|---|---|\n| 1 | 2 |", StringComparison.Ordinal)
            .Replace("## Parameters\n\n", "## Parameters\n\nStray words.\n\nMore stray words.\n\n", StringComparison.Ordinal);

        var problems = new List<HelpProblem>();
        CmdletPageReader.Read(File, page, problems);

        Assert.Equal(
            [
                "docs/cmdlets/Get-AiWidget.md(63): error AIHELP: a table cannot be shown by Get-Help; write it as a list (- item) instead",
                "docs/cmdlets/Get-AiWidget.md(61): error AIHELP: unknown section '## Example'; the sections are '## Synopsis', '## Syntax', '## Description', '## Parameters', '## Examples', '## Inputs', '## Outputs', '## Notes', '## Errors', '## Related links'",
                "docs/cmdlets/Get-AiWidget.md(23): error AIHELP: under '## Parameters' everything belongs to a '### -ParameterName' subsection",
            ],
            problems.Select(p => p.ToString()));
    }

    [Fact]
    public void ATitleThatIsNotTheFileNameIsNamed()
    {
        var problems = new List<HelpProblem>();
        CmdletPageReader.Read(File, Complete.Replace("# Get-AiWidget", "# Get-AiGadget", StringComparison.Ordinal), problems);

        Assert.Equal(
            "docs/cmdlets/Get-AiWidget.md(1): error AIHELP: the title '# Get-AiGadget' does not match the file name; it must be '# Get-AiWidget'",
            Assert.Single(problems).ToString());
    }

    [Fact]
    public void AParameterHeadingMustNameParameters()
    {
        var problems = new List<HelpProblem>();
        CmdletPageReader.Read(File, Complete.Replace("### -Name", "### Name", StringComparison.Ordinal), problems);

        Assert.Equal(
            "'### Name' is not a parameter heading; write '### -Name' (or '### -A, -B' for text they share)",
            Assert.Single(problems).Message);
    }

    [Theory]
    [InlineData("`Get-AiPreset` and [its page](Get-AiPreset.md)", "Get-AiPreset and its page")]
    [InlineData("letters, `.`, `_` and `..`", "letters, '.', '_' and '..'")]
    [InlineData("the escape ``a`b`` stays", "the escape a`b stays")]
    [InlineData("**never** a \\| pipe", "never a | pipe")]
    public void InlineMarkupBecomesConsoleText(string markdown, string text)
        => Assert.Equal(text, Inline.ToText(markdown));
}
