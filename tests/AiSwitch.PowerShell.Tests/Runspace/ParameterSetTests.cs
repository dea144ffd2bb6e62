namespace AiSwitch.PowerShell.Tests.Runspace;

/// <summary>
/// Parameter sets as the engine resolves them: each set a user reaches writes the type it promises, and parameters of
/// two sets together are refused by the binder before the cmdlet runs.
/// </summary>
[Collection(RunspaceCollection.Name)]
public sealed class ParameterSetTests : IDisposable
{
    private readonly HostedShell _shell = new();

    public ParameterSetTests()
    {
        _shell.Run(FurnishedHome.Script).Ok();
        FurnishedHome.WriteUsage(_shell);
    }

    [Fact]
    public void InvokeAiTaskWritesOneTaskResultPerAgent()
    {
        // The agents' command does not exist: each result is Failed, and also an error of its own.
        var result = _shell.Run("Invoke-AiTask -Agent first, second -Prompt hi -Parallel -ErrorAction SilentlyContinue");

        Assert.Equal(["AiSwitch.TaskResult", "AiSwitch.TaskResult"], result.Output.Select(o => o.TypeNames[0]));
        Assert.Equal(["first", "second"], result.Strings("Agent").Order());
        Assert.Null(result.Terminating);
    }

    [Fact]
    public void InvokeAiTaskAsJobWritesAJobWhoseResultsAreTaskResults()
    {
        var job = Assert.Single(_shell.Run("$job = Invoke-AiTask -Agent first, second -Prompt hi -Parallel -ErrorAction SilentlyContinue -AsJob; $job").Ok().Output);
        Assert.Equal("AiSwitch.AiTaskJob", job.TypeNames[0]);
        Assert.Contains("System.Management.Automation.Job", job.TypeNames);

        var received = _shell.Run("$job | Wait-Job | Receive-Job -ErrorAction SilentlyContinue; $job.State.ToString(); (Get-Job -Id $job.Id).Id -eq $job.Id");

        Assert.Equal(["AiSwitch.TaskResult", "AiSwitch.TaskResult"], received.Output.Take(2).Select(o => o.TypeNames[0]));
        Assert.Equal(["Completed", "True"], received.Strings().Skip(2));
    }

    [Fact]
    public void GetAiTokenUsageWritesRowsByDefault()
    {
        var result = _shell.Run("Get-AiTokenUsage; Get-AiTokenUsage -GroupBy Model").Ok();

        Assert.All(result.Output, row => Assert.Equal("AiSwitch.TokenUsageRow", row.TypeNames[0]));
        Assert.Equal(["first", "second", "model-a", "model-b"], result.Strings("Group"));
        Assert.Equal(["120", "10", "120", "10"], result.Strings("TotalTokens"));
    }

    [Fact]
    public void GetAiTokenUsageWritesOneSummaryWithSummary()
    {
        var summary = Assert.Single(_shell.Run("Get-AiTokenUsage -Summary").Ok().Output);

        Assert.Equal("AiSwitch.TokenSummary", summary.TypeNames[0]);
        Assert.Equal(130L, summary.Properties["TotalTokens"].Value);
        Assert.Equal(2L, summary.Properties["Requests"].Value);
    }

    [Theory]
    [InlineData("Get-AiTokenUsage -Summary -GroupBy Model", "GetAiTokenUsageCommand")]
    [InlineData("Unlock-AiResource -Name r1 -LockId $heldLock.LockId", "UnlockAiResourceCommand")]
    public void ParametersOfTwoSetsTogetherAreRefusedBeforeTheCmdletRuns(string call, string command)
    {
        var result = _shell.Run(call);

        var error = Assert.Single(result.AllErrors);
        Assert.Equal($"AmbiguousParameterSet,AiSwitch.PowerShell.Commands.{command}", error.FullyQualifiedErrorId);
        Assert.Empty(result.Output);
        Assert.Equal(["True"], _shell.Run("(Get-AiLock).Name -contains 'r1'").Ok().Strings());
    }

    [Theory]
    [InlineData("Unlock-AiResource -Name r1")]
    [InlineData("Unlock-AiResource -LockId $heldLock.LockId")]
    [InlineData("$heldLock | Unlock-AiResource")]
    public void UnlockAiResourceTakesANameOrALockId(string call)
    {
        _shell.Run(call).Ok();

        Assert.Equal(["False"], _shell.Run("(Get-AiLock).Name -contains 'r1'").Ok().Strings());
    }

    public void Dispose() => _shell.Dispose();
}
