using Xunit;

namespace AiSwitch.Cli.Tests.Docs;

/// <summary>The exit-code table in docs/cli.md against the code: ErrorKindExtensions.ExitCode, plus 0 and the usage code.</summary>
public sealed class ExitCodeTableTests
{
    private static readonly string CliDoc = Path.Combine(RepositoryRoot(), "docs", "cli.md");

    /// <summary>Every row the table must have: kind (or Success/Usage) to exit code, from the code itself.</summary>
    private static Dictionary<string, int> Expected()
    {
        var rows = Enum.GetValues<ErrorKind>().ToDictionary(kind => kind.ToString(), kind => kind.ExitCode());
        rows["Success"] = 0;
        rows["Usage"] = AiSwitchCli.UsageExitCode;
        return rows;
    }

    [Fact]
    public void DocumentedTableMatchesTheCode()
    {
        var mismatches = ExitCodeTable.Mismatches(ExitCodeTable.Parse(File.ReadAllText(CliDoc)), Expected());
        Assert.True(mismatches.Count == 0, $"docs/cli.md '## Exit codes' is out of date:{Environment.NewLine}{string.Join(Environment.NewLine, mismatches)}");
    }

    [Fact]
    public void ExitCodesAreDistinct()
        => Assert.Equal(Expected().Count, Expected().Values.Distinct().Count());

    [Fact]
    public void WrongMissingAndUnknownRowsAreReported()
    {
        const string doc = """
            # x
            ## Exit codes

            | Exit code | Kind | Meaning |
            |---|---|---|
            | 0 | Success | ok |
            | 4 | NotFound | wrong code |
            | 9 | Vanished | no such kind |

            ## Next section
            | 5 | InvalidData | outside the section, ignored |
            """;
        var mismatches = ExitCodeTable.Mismatches(ExitCodeTable.Parse(doc), new Dictionary<string, int> { ["Success"] = 0, ["NotFound"] = 3, ["InvalidData"] = 5 });
        Assert.Equal(
            [
                "InvalidData: exit code 5 is not in the table.",
                "NotFound: the table says 4, the code says 3.",
                "Vanished: the table lists it, but no such kind exists.",
            ],
            mismatches);
    }

    [Fact]
    public void ADocWithoutTheSectionIsRejected()
        => Assert.Throws<InvalidDataException>(() => ExitCodeTable.Parse("# cli\nno table here\n"));

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "AiSwitch.PowerShell.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No AiSwitch.PowerShell.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>Reads the "| code | kind | meaning |" rows of the "## Exit codes" section of a Markdown page.</summary>
internal static class ExitCodeTable
{
    public static Dictionary<string, int> Parse(string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim() == "## Exit codes");
        if (start < 0)
        {
            throw new InvalidDataException("The page has no '## Exit codes' section.");
        }

        var rows = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith('#')))
        {
            var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (line.TrimStart().StartsWith('|') && cells.Length >= 2 && int.TryParse(cells[0], out var code))
            {
                rows[cells[1]] = code;
            }
        }

        return rows;
    }

    public static List<string> Mismatches(IReadOnlyDictionary<string, int> documented, IReadOnlyDictionary<string, int> expected)
    {
        var problems = new List<string>();
        foreach (var (kind, code) in expected)
        {
            if (!documented.TryGetValue(kind, out var listed))
            {
                problems.Add($"{kind}: exit code {code} is not in the table.");
            }
            else if (listed != code)
            {
                problems.Add($"{kind}: the table says {listed}, the code says {code}.");
            }
        }

        problems.AddRange(documented.Keys.Where(k => !expected.ContainsKey(k)).Select(k => $"{k}: the table lists it, but no such kind exists."));
        problems.Sort(StringComparer.Ordinal);
        return problems;
    }
}
