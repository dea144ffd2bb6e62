using AiSwitch.HelpGen.Markdown;
using AiSwitch.HelpGen.Metadata;
using AiSwitch.PowerShell.Tests.Infrastructure;
using Xunit;

namespace AiSwitch.PowerShell.Tests.Help;

/// <summary>
/// Help's parameter facts come from the built cmdlets themselves (read through a MetadataLoadContext), so they say
/// what Get-Command says: sets, positions, pipeline input, aliases, wildcards, valid values and starting values.
/// </summary>
public sealed class CmdletAssemblyReaderTests
{
    private static readonly Lazy<IReadOnlyList<CmdletMetadata>> Module = new(() =>
        Read(Repository.CmdletAssemblyPath, [Repository.AutomationAssemblyPath, Repository.ContractsAssemblyPath, Repository.DependenciesDir], out _));

    private static CmdletMetadata Cmdlet(string name) => Module.Value.Single(c => c.Name == name);

    private static ParameterMetadata Parameter(string cmdlet, string name) => Cmdlet(cmdlet).Parameters.Single(p => p.Name == name);

    [Fact]
    public void EveryCmdletOfTheModuleIsReadWithoutAProblem()
    {
        Read(Repository.CmdletAssemblyPath, [Repository.AutomationAssemblyPath, Repository.ContractsAssemblyPath, Repository.DependenciesDir], out var problems);

        Assert.Empty(problems);
        Assert.Equal(InspectedAssembly.Module.Cmdlets.Select(c => c.Name), Module.Value.Select(c => c.Name));
    }

    [Fact]
    public void SetsPositionsAndPipelineInputAreTheCmdletsOwn()
    {
        var invoke = Cmdlet("Invoke-AiTask");
        Assert.Equal(["Run", "AsJob"], invoke.ParameterSets);

        var prompt = Parameter("Invoke-AiTask", "Prompt");
        Assert.True(prompt.AlwaysMandatory);
        Assert.Equal("0", prompt.PositionText);
        Assert.Equal("True (ByPropertyName, ByValue)", prompt.PipelineInputText);
        Assert.Equal("String", prompt.TypeName);

        var agent = Parameter("Invoke-AiTask", "Agent");
        Assert.Equal(("1", "String[]", "System.String[]"), (agent.PositionText, agent.TypeName, agent.FullTypeName));

        var asJob = Parameter("Invoke-AiTask", "AsJob");
        Assert.True(asJob.IsSwitch);
        Assert.Null(asJob.In("Run"));
        Assert.True(asJob.In("AsJob")!.Mandatory);

        var name = Parameter("Get-AiPreset", "Name");
        Assert.True(name.SupportsWildcards);
        Assert.Equal("True (ByPropertyName, ByValue)", name.PipelineInputText);

        Assert.Equal(["FullName"], Parameter("Import-AiPreset", "Path").Aliases);
        Assert.Equal("named", Parameter("Invoke-AiTask", "Timeout").PositionText);
        Assert.Equal("Int32", Parameter("Invoke-AiTask", "MaxTokens").TypeName); // Nullable<int> shows as Int32
    }

    [Fact]
    public void SyntaxOrderIsGetCommandsOrder()
    {
        // Get-Command -Syntax: positional first, by position, then mandatory, then the rest as declared (base class first).
        var asJob = Cmdlet("Invoke-AiTask").SyntaxOf("AsJob").Select(x => x.Parameter.Name).ToList();
        Assert.Equal(["Prompt", "Agent", "AsJob", "SystemPrompt", "TaskId"], asJob.Take(5));
        Assert.Equal(["WhatIf", "Confirm"], asJob.TakeLast(2));

        var unlock = Cmdlet("Unlock-AiResource");
        Assert.Equal(["ById", "ByName"], unlock.ParameterSets);
        Assert.Equal(["LockId", "PassThru", "WhatIf", "Confirm"], unlock.SyntaxOf("ById").Select(x => x.Parameter.Name));
        Assert.Equal(["Name", "PassThru", "WhatIf", "Confirm"], unlock.SyntaxOf("ByName").Select(x => x.Parameter.Name));
    }

    [Fact]
    public void ShouldProcessAddsWhatIfAndConfirmWithTheirAliases()
    {
        Assert.Equal(
            [("WhatIf", "wi"), ("Confirm", "cf")],
            Cmdlet("Remove-AiPreset").Parameters.Where(p => p.IsCommon).Select(p => (p.Name, p.Aliases.Single())));
        Assert.DoesNotContain(Cmdlet("Get-AiPreset").Parameters, p => p.IsCommon);
    }

    [Fact]
    public void ValidValuesAndStartingValuesAreReadFromTheClass()
    {
        Assert.Equal(["RoundRobin", "LeastBusy", "Capability", "Hash"], Parameter("Invoke-AiTask", "Distribute").ValidValues); // a nullable enum
        Assert.Equal("Agent", Parameter("Get-AiTokenUsage", "GroupBy").DefaultValue);                                       // an enum member
        Assert.Equal("Loose", Parameter("Invoke-AiTask", "CoordinationMode").DefaultValue); // an enum member, in the base class
        Assert.Equal("0", Parameter("Invoke-AiTask", "Retry").DefaultValue);                // an int never assigned
        Assert.Equal("None", Parameter("Invoke-AiTask", "Priority").DefaultValue);          // a nullable never assigned
        Assert.Equal("False", Parameter("Invoke-AiTask", "Parallel").DefaultValue);
        Assert.Equal("10", Parameter("Stop-AiAgent", "Timeout").DefaultValue);              // a const from Core
        Assert.Equal("30", Parameter("Lock-AiResource", "Timeout").DefaultValue);
        Assert.Equal("2", Parameter("Watch-AiAgent", "Interval").DefaultValue);
        Assert.Equal("All", Parameter("Merge-AiTaskResult", "Strategy").DefaultValue);
        Assert.Equal("None", Parameter("New-AiPreset", "Variable").DefaultValue);            // mandatory: its start is never seen
    }

    [Fact]
    public void AComputedStartingValueIsAProblemUnlessTheClassDeclaresIt()
    {
        var fixtures = Read(
            Repository.FixtureAssemblyPath,
            [Repository.CmdletAssemblyPath, Repository.AutomationAssemblyPath, Repository.ContractsAssemblyPath, Repository.DependenciesDir],
            out var problems);
        var wait = fixtures.Single(c => c.Name == "Wait-AiWidget");

        var problem = Assert.Single(problems);
        Assert.Null(problem.Line);
        Assert.Equal(
            "Wait-AiWidget -Timeout starts with a computed value, which help cannot read; start WaitAiWidgetCommand.Timeout with a literal or a const, or give it [PSDefaultValue(Value = ...)]",
            problem.Message);
        Assert.Equal(
            [("Interval", "5"), ("Colour", "red"), ("Count", "0"), ("Limit", "None"), ("Tag", "None")],
            wait.Parameters.Where(p => p.Name != "Timeout").Select(p => (p.Name, p.DefaultValue)));
    }

    private static IReadOnlyList<CmdletMetadata> Read(string assembly, string[] references, out List<HelpProblem> problems)
    {
        problems = [];
        return CmdletAssemblyReader.Read(assembly, references, problems);
    }
}
