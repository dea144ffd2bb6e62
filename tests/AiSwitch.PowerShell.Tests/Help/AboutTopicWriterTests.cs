using AiSwitch.HelpGen.About;
using AiSwitch.HelpGen.Markdown;
using Xunit;

namespace AiSwitch.PowerShell.Tests.Help;

/// <summary>An about topic's markdown becomes the text Get-Help about_X shows: fixed head, 80 columns, lists and code kept.</summary>
public sealed class AboutTopicWriterTests
{
    private const string File = "docs/about/about_AiWidget.md";

    [Fact]
    public void TheTopicHasGetHelpsLayoutWrappedAt80Columns()
    {
        var markdown = """
            # about_AiWidget

            ## Short description

            Widgets, `briefly`.

            ## Long description

            A widget is a thing that is long enough to need wrapping when it is written out as one paragraph of help text.

            ### Kinds

            - A small widget, which is described at enough length that the item has to wrap onto a second line.
            - A large one.

            ```powershell
            Get-AiWidget | Where-Object Size -gt 3
            ```

            ## See also

            - about_AiSwitch
            """;
        var problems = new List<HelpProblem>();

        var text = AboutTopicWriter.Write(File, markdown, problems);

        Assert.Empty(problems);
        Assert.Equal(
            """
            TOPIC
                about_AiWidget

            SHORT DESCRIPTION
                Widgets, briefly.

            LONG DESCRIPTION

                A widget is a thing that is long enough to need wrapping when it is written
                out as one paragraph of help text.

              Kinds

                - A small widget, which is described at enough length that the item has to
                  wrap onto a second line.
                - A large one.

                    Get-AiWidget | Where-Object Size -gt 3

            SEE ALSO

                - about_AiSwitch

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            text);
        Assert.All(text!.Split('\n'), line => Assert.True(line.Length <= 80, line));
    }

    [Fact]
    public void ATopicWithoutItsDescriptionsIsNamed()
    {
        var problems = new List<HelpProblem>();

        var text = AboutTopicWriter.Write(File, "# about_AiWidget\n\n## Long description\n\n| a | b |\n", problems);

        Assert.Null(text);
        Assert.Equal(
            [
                "docs/about/about_AiWidget.md(1): error AIHELP: '## Short description' must be one paragraph (Get-Help shows it as the topic's synopsis)",
                "docs/about/about_AiWidget.md(5): error AIHELP: a table cannot be shown in a help topic; write it as a list (- item) instead",
            ],
            problems.Select(p => p.ToString()));
    }

    [Fact]
    public void ATitleThatIsNotTheFileNameIsNamed()
    {
        var problems = new List<HelpProblem>();

        AboutTopicWriter.Write(File, "# about_Other\n\n## Short description\n\nX.\n\n## Long description\n\nY.\n", problems);

        Assert.Equal("the topic must start with the title '# about_AiWidget'", Assert.Single(problems).Message);
    }
}
