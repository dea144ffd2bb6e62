using System.Security.Cryptography;

namespace AiSwitch.PowerShell.Tests.Runspace;

/// <summary>
/// -WhatIf has no side effect at all (style.md §8): through the real engine, every cmdlet that supports it, run with
/// -WhatIf in a furnished home, writes nothing, fails nothing, and leaves every file under the home and the working
/// folder, and the process environment, exactly as they were.
/// </summary>
[Collection(RunspaceCollection.Name)]
public sealed class WhatIfTests : IDisposable
{
    private readonly HostedShell _shell = new();

    public WhatIfTests() => _shell.Run(FurnishedHome.Script).Ok();

    /// <summary>One call per cmdlet with -WhatIf (some twice, where a parameter set or a target changes what it would do).</summary>
    public static TheoryData<string> Calls => new()
    {
        "New-AiPreset -Name p2 -Variable @{ A = '1' }",
        "Set-AiPreset -Name p1 -Description changed",
        "Remove-AiPreset -Name p1",
        "Import-AiPreset -Path ./import",
        "Use-AiPreset -Name p1",
        "Grant-AiProjectPin -Path ./import",
        "Revoke-AiProjectPin -Path ./import",
        "Switch-AiEnvironment -Preset p1",
        "Switch-AiEnvironment -Preset p1 -Agent first",
        "Checkpoint-AiEnvironment -SnapshotId s2",
        "Restore-AiEnvironment -SnapshotId s1",
        "Remove-AiEnvironmentSnapshot -SnapshotId s1",
        "Invoke-AiTask -Agent first -Prompt hi",
        "Invoke-AiTask -Agent first -Prompt hi -AsJob",
        "Start-AiTask -Agent first -Prompt hi",
        "Stop-AiTask -TaskId $doneTask.TaskId",
        "Set-AiTokenQuota -Agent first -DailyTokens 5",
        "Remove-AiTokenQuota -Agent first",
        "Import-AiTokenUsage -Source ClaudeCode -Path ./claude/projects",
        "Export-AiMetrics -Format Csv -Path ./metrics.csv",
        "Lock-AiResource -Name r2",
        "Unlock-AiResource -Name r1",
        "Register-AiAgent -Name third -Adapter jsonrpc -Command /nonexistent/aiswitch-runspace-agent",
        "Unregister-AiAgent -Name first",
        "Start-AiAgent -Name first",
        "Stop-AiAgent -Name first",
        "Restart-AiAgent -Name first",
    };

    /// <summary>
    /// Cmdlets whose -WhatIf leaves a trace today, with what it leaves; reported, to be fixed in the product and then
    /// moved into <see cref="Calls"/>.
    /// </summary>
    private static readonly Dictionary<string, string> LeavesATraceToday = new(StringComparer.OrdinalIgnoreCase)
    {
        // Probing whether 'orphan' is still held creates the empty locks/orphan.lock (Get-AiLock does the same).
        ["Clear-AiStaleLock"] = "creates locks/orphan.lock",
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public void WhatIfLeavesNoTrace(string call)
    {
        var before = Traces();

        var result = _shell.Run(call + " -WhatIf").Ok();

        Assert.Empty(result.Output);
        var after = Traces();
        var changed = before.Keys.Union(after.Keys).Where(f => before.GetValueOrDefault(f) != after.GetValueOrDefault(f))
            .Select(f => !after.ContainsKey(f) ? $"removed {f}" : !before.ContainsKey(f) ? $"added {f}" : $"changed {f}");
        Assert.Equal([], changed);
        Assert.Null(Environment.GetEnvironmentVariable(FurnishedHome.PresetVariable));
    }

    [Fact]
    public void EveryCmdletWithWhatIfIsCalledAbove()
    {
        var withWhatIf = _shell.Run("(Get-Command -Module AiSwitch | Where-Object { $_.Parameters.ContainsKey('WhatIf') }).Name").Ok().Strings();
        var called = Calls.Cast<object[]>().Select(row => ((string)row[0]).Split(' ')[0]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Equal([], withWhatIf.Where(name => !called.Contains(name!) && !LeavesATraceToday.ContainsKey(name!)));
    }

    /// <summary>Every file under the shell's folders (home and working folder) with a hash of its content.</summary>
    private SortedDictionary<string, string> Traces()
        => new(Directory.EnumerateFiles(_shell.Root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(_shell.Root, f), Fingerprint), StringComparer.Ordinal);

    private static string Fingerprint(string file)
    {
        try
        {
            return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
        }
        catch (IOException)
        {
            // A held lock's file is open without sharing; its size and time still show a write.
            var info = new FileInfo(file);
            return $"held: {info.Length} bytes, written {info.LastWriteTimeUtc:O}";
        }
    }

    public void Dispose() => _shell.Dispose();
}
