using AiSwitch.HelpGen;
using AiSwitch.HelpGen.Markdown;
using AiSwitch.HelpGen.Metadata;
using AiSwitch.HelpGen.Pages;
using Xunit;

namespace AiSwitch.PowerShell.Tests.Help;

/// <summary>A page must describe every parameter its cmdlet has and none it lacks; every cmdlet needs a page.</summary>
public sealed class HelpBuilderTests
{
    private const string File = "docs/cmdlets/Set-AiWidget.md";

    private static readonly CmdletMetadata SetWidget = new(
        "Set",
        "AiWidget",
        SupportsShouldProcess: true,
        ["Default"],
        [Parameter("Name", mandatory: true), Parameter("Colour"), Common("WhatIf", "wi"), Common("Confirm", "cf")]);

    private static string Page(string parameters, string syntax = "Set-AiWidget [-Name] <String> [-Colour <String>] [-WhatIf] [-Confirm]") => $"""
        # Set-AiWidget

        ## Synopsis

        Changes a widget.

        ## Syntax

        ```
        {syntax}
        ```

        ## Description

        Changes it.

        ## Parameters

        {parameters}

        ## Examples

        ### Example 1: Paint it

        ```powershell
        Set-AiWidget -Name w1 -Colour red
        ```

        Paints w1 red.

        ## Inputs

        ### None

        ## Outputs

        ### AiSwitch.Widget

        The widget.
        """;

    [Fact]
    public void APageDescribingEveryRealParameterPasses()
    {
        // -WhatIf and -Confirm are PowerShell's: a page may leave them to PowerShell's own words.
        var problems = Check(Page("### -Name\n\nWhich.\n\n### -Colour\n\nThe colour."));

        Assert.Empty(problems);
    }

    [Fact]
    public void AParameterWithoutTextIsABuildErrorNamingThePageAndTheParameter()
    {
        var problems = Check(Page("### -Name\n\nWhich."));

        Assert.Equal(
            "docs/cmdlets/Set-AiWidget.md: error AIHELP: -Colour has no text; add '### -Colour' under '## Parameters'",
            Assert.Single(problems).ToString());
    }

    [Fact]
    public void TextForAParameterTheCmdletLacksIsAnError()
    {
        var problems = Check(Page("### -Name\n\nWhich.\n\n### -Colour, -Size\n\nShared."));

        Assert.Equal(
            "docs/cmdlets/Set-AiWidget.md(23): error AIHELP: -Size is documented, but Set-AiWidget has no such parameter; its parameters are -Name, -Colour, -WhatIf, -Confirm",
            Assert.Single(problems).ToString());
    }

    [Fact]
    public void AParameterDocumentedTwiceIsAnError()
    {
        var problems = Check(Page("### -Name\n\nWhich.\n\n### -Colour\n\nThe colour.\n\n### -name\n\nAgain."));

        Assert.Equal("-name is documented twice", Assert.Single(problems).Message);
    }

    [Fact]
    public void TheSyntaxBlockMustNameTheCmdletsParametersAndNoOthers()
    {
        var problems = Check(Page("### -Name\n\nWhich.\n\n### -Colour\n\nThe colour.", "Set-AiWidget [-Name] <String> [-Size <Int32>]"));

        Assert.Equal(
            [
                "the syntax names -Size, but Set-AiWidget has no such parameter; its parameters are -Name, -Colour, -WhatIf, -Confirm",
                "the syntax lacks -Colour",
                "the syntax lacks -WhatIf",
                "the syntax lacks -Confirm",
            ],
            problems.Select(p => p.Message));
    }

    [Fact]
    public void ACmdletWithoutAPageAndAPageWithoutACmdletAreBothNamed()
    {
        var problems = new List<HelpProblem>();
        var maml = HelpBuilder.BuildCommandHelp(
            [SetWidget],
            [("docs/cmdlets/Get-AiGadget.md", "# Get-AiGadget\n")],
            "docs/cmdlets",
            problems);

        Assert.Null(maml);
        Assert.Contains("docs/cmdlets/Set-AiWidget.md: error AIHELP: Set-AiWidget has no page; write docs/cmdlets/Set-AiWidget.md", problems.Select(p => p.ToString()));
        Assert.Contains("docs/cmdlets/Get-AiGadget.md(1): error AIHELP: the module has no cmdlet Get-AiGadget; remove the page or fix its name", problems.Select(p => p.ToString()));
    }

    private static List<HelpProblem> Check(string markdown)
    {
        var problems = new List<HelpProblem>();
        var page = CmdletPageReader.Read(File, markdown, problems);
        HelpBuilder.Check(SetWidget, page, problems);
        return problems;
    }

    private static ParameterMetadata Parameter(string name, bool mandatory = false)
        => new(name, "String", "System.String", false, [], false, null, "None", [new SetMembership("Default", mandatory, mandatory ? 0 : null, false, false)]);

    private static ParameterMetadata Common(string name, string alias)
        => new(name, "SwitchParameter", "System.Management.Automation.SwitchParameter", true, [alias], false, null, "False",
            [new SetMembership(CmdletMetadata.AllParameterSets, false, null, false, false)], IsCommon: true);
}
