using AiSwitch.PowerShell.Tests.Infrastructure;
using Xunit;

namespace AiSwitch.PowerShell.Tests.Contracts;

/// <summary>module/AiSwitch.format.ps1xml and AiSwitch.types.ps1xml, as shipped in the module folder, against the types the module shows (AiSwitch.Contracts and the cmdlet assembly).</summary>
public sealed class FormatDataTests
{
    private static readonly string FormatPath = Path.Combine(Repository.ModuleDir, "AiSwitch.format.ps1xml");
    private static readonly string TypesPath = Path.Combine(Repository.ModuleDir, "AiSwitch.types.ps1xml");

    [Fact]
    public void BothFilesAreWellFormed()
    {
        Assert.Null(FormatDataRules.Load(FormatPath).Problem);
        Assert.Null(FormatDataRules.Load(TypesPath).Problem);
    }

    [Fact]
    public void EveryViewNamesRealTypesAndProperties()
    {
        var types = FormatDataRules.Load(TypesPath).Document;
        var problems = FormatDataRules.FormatViews(FormatDataRules.Load(FormatPath).Document!, FindType, FormatDataRules.ExtendedMembers(types)).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void EveryTypeExtensionNamesRealTypesAndMembers()
    {
        var types = FormatDataRules.Load(TypesPath).Document!;
        var problems = FormatDataRules.TypeExtensions(types, FindType, FormatDataRules.ExtendedMembers(types)).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void ModuleFilesAreTheSourceFiles()
    {
        foreach (var name in new[] { "AiSwitch.format.ps1xml", "AiSwitch.types.ps1xml" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(Repository.Root, "module", name)), File.ReadAllText(Path.Combine(Repository.ModuleDir, name)));
        }
    }

    // The output types (AiSwitch.<Name>, in AiSwitch.Contracts), and the cmdlet assembly's own (a Job2 subclass, say).
    private static Type? FindType(string name) => FormatDataRules.TypesIn(InspectedAssembly.Module.TypeSources)(name);
}

/// <summary>Proves each format-data rule can fail, on the fixture's broken format and types files.</summary>
public sealed class FormatDataRulesTests
{
    private static readonly Func<string, Type?> FixtureTypes = FormatDataRules.TypesIn(InspectedAssembly.Fixtures.CmdletAssembly);

    private static string Fixture(string name) => Path.Combine(Repository.FixtureFilesDir, name);

    [Fact]
    public void MalformedXmlIsReportedWithItsPosition()
    {
        var (document, problem) = FormatDataRules.Load(Fixture("Malformed.format.ps1xml"));
        Assert.Null(document);
        Assert.Contains("Malformed.format.ps1xml is not well-formed XML", problem);
        Assert.Contains("Line 6", problem);
    }

    [Fact]
    public void ViewsWithMissingPropertiesTypesOrColumnsAreReported()
    {
        var types = FormatDataRules.Load(Fixture("Fixture.types.ps1xml")).Document;
        var problems = FormatDataRules.FormatViews(FormatDataRules.Load(Fixture("Fixture.format.ps1xml")).Document!, FixtureTypes, FormatDataRules.ExtendedMembers(types)).ToList();
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("View 'WidgetWithMissingProperty' uses property 'Weight'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("View 'MissingType'", StringComparison.Ordinal) && p.Contains("Sprocket"));
        Assert.Contains(problems, p => p.StartsWith("View 'HeadersDoNotMatchColumns' has 2 table headers but 1 columns", StringComparison.Ordinal));
    }

    [Fact]
    public void AliasFromTheTypesFileCountsAsAProperty()
    {
        // The GoodWidget view uses Hue, which only the types file defines: without it, the view is wrong.
        var problems = FormatDataRules.FormatViews(FormatDataRules.Load(Fixture("Fixture.format.ps1xml")).Document!, FixtureTypes, FormatDataRules.ExtendedMembers(null)).ToList();
        Assert.Contains(problems, p => p.StartsWith("View 'GoodWidget' uses property 'Hue'", StringComparison.Ordinal));
    }

    [Fact]
    public void TypeExtensionsWithMissingTypesOrMembersAreReported()
    {
        var types = FormatDataRules.Load(Fixture("Fixture.types.ps1xml")).Document!;
        var problems = FormatDataRules.TypeExtensions(types, FixtureTypes, FormatDataRules.ExtendedMembers(types)).ToList();
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("types.ps1xml refers to 'Weight'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("types.ps1xml refers to 'Price'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("types.ps1xml extends 'AiSwitch.PowerShell.Tests.Fixtures.Sprocket'", StringComparison.Ordinal));
    }
}
