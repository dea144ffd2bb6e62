using AiSwitch.PowerShell.Tests.Infrastructure;
using Xunit;

namespace AiSwitch.PowerShell.Tests.Contracts;

public sealed class PowerShellDataFileTests
{
    [Fact]
    public void ReadsTheTrickyFixtureManifest()
    {
        var data = PowerShellDataFile.Parse(File.ReadAllText(Path.Combine(Repository.FixtureFilesDir, "Fixture.psd1")));
        Assert.Equal("AiSwitch.PowerShell.Tests.Fixtures.dll", data["rootmodule"]);
        Assert.Equal(["Desktop"], PowerShellDataFile.Strings(data, "CompatiblePSEditions"));
        Assert.Equal(["Get-AiWidget", "Remove-AiWidget", "Get-AiNotInTheAssembly"], PowerShellDataFile.Strings(data, "CmdletsToExport"));
        Assert.Empty(PowerShellDataFile.Strings(data, "TypesToProcess"));
        var psData = (IReadOnlyDictionary<string, object?>)((IReadOnlyDictionary<string, object?>)data["PrivateData"]!)["PSData"]!;
        Assert.Equal("It's a fixture.", psData["ReleaseNotes"]);
        Assert.Equal(["Fixture"], PowerShellDataFile.Strings(psData, "Tags"));
    }

    [Fact]
    public void ReadsScalarsCommaListsAndEscapes()
    {
        var data = PowerShellDataFile.Parse("""
            @{ A = 1, 'two', $true; B = "say `"hi`"" ; 'C' = $null
               D = @(
                 -3
               ) }
            """);
        Assert.Equal(new object?[] { 1L, "two", true }, (IReadOnlyList<object?>)data["A"]!);
        Assert.Equal("say \"hi\"", data["B"]);
        Assert.Null(data["C"]);
        Assert.Equal(new object?[] { -3L }, (IReadOnlyList<object?>)data["D"]!);
    }

    [Theory]
    [InlineData("@{ A = 'x'\n B = 'unterminated }", "Line 2: an unterminated single-quoted string.")]
    [InlineData("@{ A = \"$env:HOME\" }", "Line 1: a double-quoted string with a $ expansion")]
    [InlineData("@{ A = 'x'; A = 'y' }", "the key 'A' appears twice")]
    [InlineData("@{ A = Get-Date }", "Line 1: unexpected 'G'")]
    [InlineData("@('not', 'a', 'hashtable')", "the file is not a hashtable")]
    [InlineData("@{ A = 1 } extra", "text after the top-level hashtable")]
    public void RejectsWhatIsNotData(string text, string expected)
        => Assert.Contains(expected, Assert.Throws<FormatException>(() => PowerShellDataFile.Parse(text)).Message);
}
