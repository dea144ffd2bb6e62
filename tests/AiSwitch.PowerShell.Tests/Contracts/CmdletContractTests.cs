using AiSwitch.PowerShell.Tests.Infrastructure;
using Xunit;

namespace AiSwitch.PowerShell.Tests.Contracts;

/// <summary>
/// The cmdlet contract over the built module (artifacts/module/AiSwitch/AiSwitch.PowerShell.dll), read with a
/// MetadataLoadContext as no PowerShell runtime exists on the build machines. CmdletRulesTests proves that each
/// rule here fails on a cmdlet that breaks it.
/// </summary>
public sealed class CmdletContractTests
{
    /// <summary>
    /// Cmdlets documented (docs/cmdlets/*.md and surface.md) to write nothing on success; they may omit [OutputType].
    /// Everything else must declare what it writes.
    /// </summary>
    internal static readonly IReadOnlySet<string> NoOutputCmdlets = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Remove-AiPreset",
        "Remove-AiEnvironmentSnapshot",
        "Unlock-AiResource",
        "Unregister-AiAgent",
        "Remove-AiTokenQuota",
    };

    /// <summary>The pipelines users are promised (issue 2, style.md §6): "Upstream | Downstream" binds by property name.</summary>
    public static TheoryData<string, string> Chains => new()
    {
        { "Get-AiPreset", "Use-AiPreset" },
        { "Get-AiPreset", "Remove-AiPreset" },
        { "Get-AiPreset", "Set-AiPreset" },
        { "Checkpoint-AiEnvironment", "Restore-AiEnvironment" },
        { "Get-AiEnvironmentSnapshot", "Restore-AiEnvironment" },
        { "Get-AiEnvironmentSnapshot", "Remove-AiEnvironmentSnapshot" },
        { "Lock-AiResource", "Unlock-AiResource" },
        { "Get-AiLock", "Unlock-AiResource" },
        { "Get-AiAgent", "Start-AiAgent" },
        { "Get-AiAgent", "Stop-AiAgent" },
        { "Get-AiAgent", "Restart-AiAgent" },
        { "Get-AiAgent", "Unregister-AiAgent" },
        { "Register-AiAgent", "Start-AiAgent" },
        { "Get-AiPreset", "Switch-AiEnvironment" },
        { "Get-AiAgent", "Get-AiTokenUsage" },
    };

    private static InspectedAssembly Module => InspectedAssembly.Module;

    [Fact]
    public void EveryCmdletHasAnApprovedVerb() => AssertNone(c => CmdletRules.ApprovedVerb(c, Module.ApprovedVerbs));

    [Fact]
    public void EveryNounStartsWithAi() => AssertNone(CmdletRules.NounPrefix);

    [Fact]
    public void EveryCmdletIsSealed() => AssertNone(CmdletRules.Sealed);

    [Fact]
    public void EveryCmdletDerivesFromAiCmdlet() => AssertNone(CmdletRules.DerivesFromBase);

    [Fact]
    public void EveryCmdletDeclaresARealOutputType() => AssertNone(c => CmdletRules.OutputType(c, NoOutputCmdlets));

    [Fact]
    public void CmdletsWithSeveralParameterSetsNameTheDefault() => AssertNone(CmdletRules.DefaultParameterSet);

    [Fact]
    public void ParameterSetsAreUnambiguous() => AssertNone(CmdletRules.UnambiguousParameterSets);

    [Fact]
    public void AtMostOnePipelineValueParameterPerTypeAndSet() => AssertNone(CmdletRules.OnePipelineValuePerType);

    [Fact]
    public void CmdletsThatChangeStateSupportShouldProcess() => AssertNone(CmdletRules.ShouldProcess);

    [Fact]
    public void ConfirmImpactHighOnlyForDestruction() => AssertNone(CmdletRules.ConfirmImpact);

    [Fact]
    public void IdentityParametersHaveTabCompletion() => AssertNone(CmdletRules.IdentityParametersComplete);

    [Theory]
    [MemberData(nameof(Chains))]
    public void PipelineChainBindsByPropertyName(string upstream, string downstream)
    {
        var problem = PipelineChains.Check(Module.ByName, upstream, downstream);
        Assert.True(problem is null, problem);
    }

    private static void AssertNone(Func<CmdletDescription, IEnumerable<string>> rule)
    {
        var violations = Module.Violations(rule);
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }
}
