namespace AiSwitch.PowerShell.Tests.Runspace;

/// <summary>
/// The pipelines users are promised (style.md §6), bound by the real parameter binder: by property name from the
/// objects a Get- twin writes, by value from strings, and from Import-Csv rows. Each pipeline runs for real in a
/// furnished home, and a second script observes what it did, so a value that bound to the wrong parameter (or did not
/// bind) shows as the wrong outcome, not just as a missing error.
/// </summary>
[Collection(RunspaceCollection.Name)]
public sealed class PipelineBindingTests : IDisposable
{
    private readonly HostedShell _shell = new();

    public PipelineBindingTests() => _shell.Run(FurnishedHome.Script).Ok();

    /// <summary>A pipeline (its output lands in $out), a script that observes the outcome, and what it must say.</summary>
    public static TheoryData<string, string, string> Pipelines => new()
    {
        // Presets: Name by property name from Preset, by value from strings.
        { "Get-AiPreset | Remove-AiPreset -Confirm:$false", "@(Get-AiPreset).Count", "0" },
        { "New-AiPreset p2 -Variable @{ A = '1' } | Out-Null; 'p1', 'p2' | Remove-AiPreset -Confirm:$false", "@(Get-AiPreset).Count", "0" },
        { "Get-AiPreset p1 | Set-AiPreset -Description changed", "(Get-AiPreset p1).Description", "changed" },
        { "Get-AiPreset p1 | Use-AiPreset", $"$out.CurrentPreset + '=' + $env:{FurnishedHome.PresetVariable}", "p1=one" },
        { "'p1' | Get-AiPreset", "$out.Name", "p1" },
        { "[pscustomobject]@{ Name = 'p1' } | Get-AiPreset", "$out.Name", "p1" },

        // Environments: SnapshotId and Agent by property name from EnvSnapshot.
        { "Checkpoint-AiEnvironment -SnapshotId s2 | Restore-AiEnvironment", "$out.SnapshotId + '@' + $out.Agent", "s2@session" },
        {
            "Use-AiPreset p1 | Out-Null; Get-AiEnvironmentSnapshot | Sort-Object Timestamp | Select-Object -Last 1 | Restore-AiEnvironment",
            $"'[' + $env:{FurnishedHome.PresetVariable} + ']'",
            "[]"
        },
        { "Get-AiEnvironmentSnapshot -SnapshotId s1 | Remove-AiEnvironmentSnapshot -Confirm:$false", "@(Get-AiEnvironmentSnapshot).Count", "0" },

        // Locks: a Lock from Lock-AiResource or Get-AiLock releases that lock.
        { "Lock-AiResource -Name r2 | Unlock-AiResource", "(Get-AiLock).Name -contains 'r2'", "False" },
        { "Get-AiLock -Name r1 | Unlock-AiResource", "(Get-AiLock).Name -contains 'r1'", "False" },

        // Agents: Name by property name from AiAgent, AgentDefinition and CSV rows. The agents' command does not
        // exist, so a start fails, for the agent that was piped.
        { "Get-AiAgent first | Stop-AiAgent", "$out.Name + ':' + $out.Status", "first:Stopped" },
        { "Get-AiAgent first | Start-AiAgent -ErrorVariable failed -ErrorAction SilentlyContinue", "$failed.TargetObject", "first" },
        { "Get-AiAgent second | Restart-AiAgent -ErrorVariable failed -ErrorAction SilentlyContinue", "$failed.TargetObject", "second" },
        { "Get-AiAgent first, second | Unregister-AiAgent -Confirm:$false", "@(Get-AiAgent | Where-Object { -not $_.BuiltIn }).Count", "0" },
        {
            "Register-AiAgent -Name third -Adapter jsonrpc -Command /nonexistent/aiswitch-runspace-agent | Start-AiAgent -ErrorVariable failed -ErrorAction SilentlyContinue",
            "$failed.TargetObject",
            "third"
        },
        {
            "\"Name`nfirst`nsecond\" | Set-Content agents.csv; Import-Csv agents.csv | Start-AiAgent -ErrorVariable failed -ErrorAction SilentlyContinue",
            "$failed.TargetObject -join ','",
            "first,second"
        },

        // Tasks: Prompt by value; Prompt, Agent and TaskId by property name from CSV rows; TaskId from AiTask.
        { "'alpha', 'beta' | Invoke-AiTask -Agent first -ErrorAction SilentlyContinue", "($out.Prompt | Sort-Object) -join ','", "alpha,beta" },
        {
            "\"Prompt,Agent,TaskId`nalpha,first,a-1`nbeta,second,b-1\" | Set-Content tasks.csv; Import-Csv tasks.csv | Invoke-AiTask -ErrorAction SilentlyContinue",
            "($out | Sort-Object TaskId | ForEach-Object { $_.TaskId + '=' + $_.Agent + ':' + $_.Prompt }) -join ' '",
            "a-1=first:alpha b-1=second:beta"
        },
        { "Get-AiTask | Receive-AiTaskResult -ErrorAction SilentlyContinue", "$out.Agent + ':' + $out.Prompt", "first:hello" },
        { "Get-AiTask | Wait-AiTask", "\"$($out.TaskId -eq $doneTask.TaskId):$($out.Status)\"", "True:Failed" },
        { "$doneTask | Stop-AiTask -Confirm:$false", "(Get-AiTask).Status", "Failed" },
    };

    [Theory]
    [MemberData(nameof(Pipelines))]
    public void PipelineBindsAndActsOnThePipedItems(string pipeline, string observe, string expected)
    {
        var ran = _shell.Run($"$out = @(\n{pipeline}\n)");
        Assert.True(ran.AllErrors.Count == 0, ran.Describe());

        var observed = _shell.Run(observe).Ok();

        Assert.Equal([expected], observed.Strings());
    }

    [Fact]
    public void AnObjectWithoutANameBindsAsTextAndRemovesNothing()
    {
        // -Name takes strings by value, so the binder turns any object into its text; the text is no preset's name.
        var result = _shell.Run("[pscustomobject]@{ Colour = 'red' } | Remove-AiPreset -Confirm:$false");

        var error = Assert.Single(result.AllErrors);
        Assert.Equal("InvalidPresetName,AiSwitch.PowerShell.Commands.RemoveAiPresetCommand", error.FullyQualifiedErrorId);
        Assert.Equal("@{Colour=red}", error.TargetObject);
        Assert.Equal(["p1"], _shell.Run("(Get-AiPreset).Name").Ok().Strings());
    }

    public void Dispose() => _shell.Dispose();
}
