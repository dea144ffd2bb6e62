using System.Management.Automation;

namespace AiSwitch.PowerShell.Tests.Runspace;

/// <summary>
/// Error records as the engine delivers them (style.md §11–14): the exact FullyQualifiedErrorId (the stable id and the
/// cmdlet), a real category, the failing item as target, the AiSwitchException inside, $? false; and what
/// -ErrorAction, -ErrorVariable, $ErrorActionPreference and try/catch do with them.
/// </summary>
[Collection(RunspaceCollection.Name)]
public sealed class ErrorRecordTests : IDisposable
{
    private readonly HostedShell _shell = new();

    public ErrorRecordTests() => _shell.Run(FurnishedHome.Script).Ok();

    /// <summary>A call that fails for one item, its FullyQualifiedErrorId, category and target.</summary>
    public static TheoryData<string, string, ErrorCategory, string> Failures => new()
    {
        { "Get-AiPreset nosuch", "PresetNotFound,AiSwitch.PowerShell.Commands.GetAiPresetCommand", ErrorCategory.ObjectNotFound, "nosuch" },
        { "Get-AiPreset '../etc'", "InvalidPresetName,AiSwitch.PowerShell.Commands.GetAiPresetCommand", ErrorCategory.InvalidArgument, "../etc" },
        { "Remove-AiPreset nosuch -Confirm:$false", "PresetNotFound,AiSwitch.PowerShell.Commands.RemoveAiPresetCommand", ErrorCategory.ObjectNotFound, "nosuch" },
        { "Restore-AiEnvironment -SnapshotId nosuch", "SnapshotNotFound,AiSwitch.PowerShell.Commands.RestoreAiEnvironmentCommand", ErrorCategory.ObjectNotFound, "nosuch" },
        { "Unlock-AiResource -Name nosuch", "LockNotFound,AiSwitch.PowerShell.Commands.UnlockAiResourceCommand", ErrorCategory.ObjectNotFound, "nosuch" },
        { "Remove-AiTokenQuota -Agent nosuch -Confirm:$false", "QuotaNotFound,AiSwitch.PowerShell.Commands.RemoveAiTokenQuotaCommand", ErrorCategory.ObjectNotFound, "nosuch" },
        { "Start-AiAgent -Name nosuch", "AgentNotFound,AiSwitch.PowerShell.Commands.StartAiAgentCommand", ErrorCategory.ObjectNotFound, "nosuch" },
        { "Start-AiAgent -Name first", "AgentCommandNotFound,AiSwitch.PowerShell.Commands.StartAiAgentCommand", ErrorCategory.ObjectNotFound, "first" },
        { "Stop-AiTask -TaskId nosuch -Confirm:$false", "TaskNotFound,AiSwitch.PowerShell.Commands.StopAiTaskCommand", ErrorCategory.ObjectNotFound, "nosuch" },
        { "Receive-AiTaskResult -TaskId nosuch", "TaskNotFound,AiSwitch.PowerShell.Commands.ReceiveAiTaskResultCommand", ErrorCategory.ObjectNotFound, "nosuch" },
    };

    [Fact]
    public void AFailedTaskIsItsResultAndANonTerminatingErrorWhoseTargetIsThatResult()
    {
        var result = _shell.Run("Invoke-AiTask -Agent first, second -Prompt hi -Parallel -ErrorVariable failures -ErrorAction SilentlyContinue; $failures");

        var results = result.Output.Where(o => o.TypeNames[0] == "AiSwitch.TaskResult").ToList();
        var records = result.Output.Select(o => o.BaseObject).OfType<ErrorRecord>().ToList();
        Assert.Equal(2, results.Count);
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal("AgentCommandNotFound,AiSwitch.PowerShell.Commands.InvokeAiTaskCommand", r.FullyQualifiedErrorId));
        Assert.Equal(
            results.Select(r => (string)r.Properties["TaskId"].Value).Order(),
            records.Select(r => (string)PSObject.AsPSObject(r.TargetObject).Properties["TaskId"].Value).Order());
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void TheRecordNamesTheIdTheCategoryAndTheItem(string call, string errorId, ErrorCategory category, string target)
    {
        var result = _shell.Run(call);

        Assert.False(result.Succeeded);
        Assert.Empty(result.Output);
        var error = Assert.Single(result.AllErrors);
        Assert.Equal(errorId, error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal(target, error.TargetObject);
        Assert.Equal("AiSwitch.AiSwitchException", error.Exception.GetType().FullName);
        Assert.Contains(target, error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingPresetSaysWhatExistsAndHowToMakeOne()
    {
        var error = Assert.Single(_shell.Run("Get-AiPreset p2").AllErrors);

        Assert.StartsWith("Preset 'p2' not found. Did you mean 'p1'?", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("New-AiPreset -Name p2", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFailedItemDoesNotStopTheOthers()
    {
        var result = _shell.Run("Get-AiPreset nosuch, p1; 'next statement'");

        Assert.Equal(["p1", "next statement"], result.Output.Select(o => o.Properties["Name"]?.Value as string ?? o.BaseObject as string));
        Assert.Equal("nosuch", Assert.Single(result.Errors).TargetObject);
    }

    [Fact]
    public void ErrorActionStopEndsTheScriptAtTheFailedItem()
    {
        var result = _shell.Run("Get-AiPreset p1, nosuch, p1 -ErrorAction Stop; 'never'");

        Assert.Equal(["p1"], result.Strings("Name"));
        Assert.Empty(result.Errors);
        Assert.Equal("PresetNotFound,AiSwitch.PowerShell.Commands.GetAiPresetCommand", result.Terminating?.FullyQualifiedErrorId);
        Assert.Equal("nosuch", result.Terminating?.TargetObject);
    }

    [Fact]
    public void ErrorActionPreferenceStopDoesTheSame()
    {
        var result = _shell.Run("$ErrorActionPreference = 'Stop'; try { Get-AiPreset nosuch; 'never' } finally { $ErrorActionPreference = 'Continue' }");

        Assert.Empty(result.Output);
        Assert.Equal("PresetNotFound,AiSwitch.PowerShell.Commands.GetAiPresetCommand", result.Terminating?.FullyQualifiedErrorId);
    }

    [Fact]
    public void SilentlyContinueHidesTheErrorButErrorVariableAndDollarQuestionKeepIt()
    {
        var result = _shell.Run("$found = Get-AiPreset nosuch, p1 -ErrorAction SilentlyContinue -ErrorVariable failed; $found.Name; $failed.Count; $failed[0].FullyQualifiedErrorId; $Error.Count");

        Assert.Empty(result.AllErrors);
        Assert.Equal(["p1", "1", "PresetNotFound,AiSwitch.PowerShell.Commands.GetAiPresetCommand", "1"], result.Strings());
        Assert.False(_shell.Run("Get-AiPreset nosuch -ErrorAction SilentlyContinue").Succeeded);
    }

    [Fact]
    public void IgnoreLeavesNoRecordAnywhere()
    {
        var result = _shell.Run("$Error.Clear(); Get-AiPreset nosuch -ErrorAction Ignore -ErrorVariable failed; $failed.Count; $Error.Count");

        Assert.Empty(result.AllErrors);
        Assert.Equal(["0", "0"], result.Strings());
    }

    [Fact]
    public void CatchByTypeGetsTheIdAndTheNumericCode()
    {
        var result = _shell.Run("try { Get-AiPreset nosuch -ErrorAction Stop } catch [AiSwitch.AiSwitchException] { $_.Exception.Id.ToString(); $_.Exception.Code }").Ok();

        Assert.Equal(["PresetNotFound", "-40201"], result.Strings());
    }

    [Fact]
    public void AnUnknownAgentStopsInvokeAiTaskBeforeAnyTaskStarts()
    {
        var result = _shell.Run("Invoke-AiTask -Agent first, nosuch -Prompt hi; 'next statement'");

        Assert.Equal(["next statement"], result.Strings());
        var error = Assert.Single(result.Errors);
        Assert.Equal("AgentNotFound,AiSwitch.PowerShell.Commands.InvokeAiTaskCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("Agent 'nosuch' not found", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(["0"], _shell.Run("@(Get-AiTokenUsage).Count").Ok().Strings());
    }

    [Fact]
    public void AValueTheBinderCannotConvertNamesTheParameterAndTheChoices()
    {
        var result = _shell.Run("Get-AiTokenUsage -Timeframe Fortnight");

        var error = Assert.Single(result.AllErrors);
        Assert.Equal("CannotConvertArgumentNoMessage,AiSwitch.PowerShell.Commands.GetAiTokenUsageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Hour, Day, Week, Month", error.Exception.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _shell.Dispose();
}
