using AiSwitch.PowerShell.Tests.Infrastructure;
using Xunit;

namespace AiSwitch.PowerShell.Tests.Contracts;

/// <summary>
/// Proves every cmdlet rule can fail: over the fixture of deliberately broken cmdlets
/// (tests/AiSwitch.PowerShell.Tests.Fixtures), each rule flags exactly the cmdlets built to break it, and passes
/// the good ones (Get-AiWidget, Remove-AiWidget, Set-AiWidget).
/// </summary>
public sealed class CmdletRulesTests
{
    private static InspectedAssembly Fixtures => InspectedAssembly.Fixtures;

    [Fact]
    public void FixtureIsReadCompletely()
    {
        Assert.Contains("Get-AiWidget", Fixtures.ByName.Keys);
        var remove = Fixtures.ByName["Remove-AiWidget"];
        Assert.True(remove.SupportsShouldProcess);
        Assert.Equal("High", remove.ConfirmImpact);
        Assert.Equal("ByName", remove.DefaultParameterSetName);
        Assert.Equal(["ByName", "ByObject"], remove.ParameterSetNames.Order());
        var name = remove.Parameters.Single(p => p.Name == "Name");
        Assert.Equal(["WidgetName"], name.Aliases);
        Assert.True(name.Sets.Single().Mandatory);
        Assert.True(name.Sets.Single().ValueFromPipelineByPropertyName);
        Assert.Equal("AiSwitch.PowerShell.Tests.Fixtures.Widget", Fixtures.ByName["Get-AiWidget"].OutputTypes.Single().Type!.FullName);
        Assert.Equal("Medium", Fixtures.ByName["Set-AiWidget"].ConfirmImpact);
    }

    [Fact]
    public void ApprovedVerbsComeFromTheReferenceAssembly()
    {
        Assert.Contains("Get", Fixtures.ApprovedVerbs);
        Assert.Contains("Checkpoint", Fixtures.ApprovedVerbs);
        Assert.Contains("Unregister", Fixtures.ApprovedVerbs);
        Assert.DoesNotContain("Frob", Fixtures.ApprovedVerbs);
        Assert.True(Fixtures.ApprovedVerbs.Count > 90, $"Only {Fixtures.ApprovedVerbs.Count} verbs read.");
    }

    [Fact]
    public void EveryClassifiedVerbIsApproved()
    {
        var classified = ApprovedVerbs.StateChanging.Concat(ApprovedVerbs.ReadOnly).Concat(ApprovedVerbs.Destructive);
        Assert.DoesNotContain(classified, v => !Fixtures.ApprovedVerbs.Contains(v));
        Assert.Empty(ApprovedVerbs.StateChanging.Intersect(ApprovedVerbs.ReadOnly));
        Assert.Subset(ApprovedVerbs.StateChanging.ToHashSet(), ApprovedVerbs.Destructive.ToHashSet());
    }

    [Fact]
    public void UnapprovedVerbIsFlagged()
        => Assert.Equal(["Frob-AiWidget"], Fixtures.Flagged(c => CmdletRules.ApprovedVerb(c, Fixtures.ApprovedVerbs)));

    [Fact]
    public void NounWithoutAiIsFlagged() => Assert.Equal(["Get-Widget"], Fixtures.Flagged(CmdletRules.NounPrefix));

    [Fact]
    public void UnsealedCmdletIsFlagged() => Assert.Equal(["Get-AiUnsealed"], Fixtures.Flagged(CmdletRules.Sealed));

    [Fact]
    public void CmdletNotDerivedFromAiCmdletIsFlagged() => Assert.Equal(["Get-AiBaseless"], Fixtures.Flagged(CmdletRules.DerivesFromBase));

    [Fact]
    public void MissingOrUnresolvableOutputTypeIsFlagged()
    {
        var noOutput = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Remove-AiWidget" };
        Assert.Equal(["Get-AiGadget", "Get-AiPhantom"], Fixtures.Flagged(c => CmdletRules.OutputType(c, noOutput)));
        Assert.Contains("Remove-AiWidget", Fixtures.Flagged(c => CmdletRules.OutputType(c, new HashSet<string>())));
        Assert.Contains("AiSwitch.Core.Nowhere.Phantom", CmdletRules.OutputType(Fixtures.ByName["Get-AiPhantom"], noOutput).Single());
    }

    [Fact]
    public void SeveralSetsWithoutDefaultAreFlagged() => Assert.Equal(["Find-AiWidget"], Fixtures.Flagged(CmdletRules.DefaultParameterSet));

    [Fact]
    public void AmbiguousAndUnreachableParameterSetsAreFlagged()
    {
        Assert.Equal(["Search-AiWidget", "Test-AiWidget"], Fixtures.Flagged(CmdletRules.UnambiguousParameterSets));
        var ambiguous = CmdletRules.UnambiguousParameterSets(Fixtures.ByName["Test-AiWidget"]).Single();
        Assert.Contains("'ByColour' and 'ByColourAndSize' both bind the call 'Test-AiWidget -Colour -Size'", ambiguous);
        var shadowed = CmdletRules.UnambiguousParameterSets(Fixtures.ByName["Search-AiWidget"]).Single();
        Assert.Contains("'Shadowed' also binds the default set 'Everything'", shadowed);
    }

    [Fact]
    public void TwoPipelineValueParametersOfOneTypeAreFlagged()
        => Assert.Equal(["Measure-AiWidget"], Fixtures.Flagged(CmdletRules.OnePipelineValuePerType));

    [Fact]
    public void StateChangeWithoutShouldProcessAndUnclassifiedVerbsAreFlagged()
    {
        Assert.Equal(["Frob-AiWidget", "New-AiWidget", "Optimize-AiWidget"], Fixtures.Flagged(CmdletRules.ShouldProcess));
        Assert.Contains("not classified", CmdletRules.ShouldProcess(Fixtures.ByName["Optimize-AiWidget"]).Single());
        Assert.Contains("SupportsShouldProcess", CmdletRules.ShouldProcess(Fixtures.ByName["New-AiWidget"]).Single());
    }

    [Fact]
    public void ConfirmImpactHighOutsideDestructionIsFlagged()
        => Assert.Equal(["Reset-AiWidget"], Fixtures.Flagged(CmdletRules.ConfirmImpact));

    [Fact]
    public void IdentityParameterWithoutCompletionIsFlagged()
    {
        // New-AiWidget -Name is a new name (exempt); Get/Remove/Set-AiWidget complete theirs.
        Assert.Equal(["Find-AiWidget", "Rename-AiWidget", "Search-AiWidget", "Test-AiWidget"], Fixtures.Flagged(CmdletRules.IdentityParametersComplete));
        Assert.True(Fixtures.ByName["Get-AiWidget"].Parameters.Single(p => p.Name == "Name").Completes);
    }
}
