namespace AiSwitch.PowerShell.Tests.Runspace;

/// <summary>
/// A home with one of everything, made through the cmdlets as a user would: a preset, two agents whose command does
/// not exist (so every task fails at once, with no network and no cost), a snapshot, a quota, a held lock, a stale
/// lock record left by a dead holder, a finished background task ($doneTask), a folder of presets to import and one of Claude
/// Code usage logs.
/// </summary>
internal static class FurnishedHome
{
    /// <summary>The variable preset 'p1' sets; nothing else in the process has it.</summary>
    public const string PresetVariable = "AISWITCH_RUNSPACE_TEST_VAR";

    public const string Script = $$"""
        New-AiPreset -Name p1 -Variable @{ {{PresetVariable}} = 'one' } -Description 'the first' | Out-Null
        Register-AiAgent -Name first -Adapter jsonrpc -Command /nonexistent/aiswitch-runspace-agent | Out-Null
        Register-AiAgent -Name second -Adapter jsonrpc -Command /nonexistent/aiswitch-runspace-agent | Out-Null
        Checkpoint-AiEnvironment -SnapshotId s1 | Out-Null
        Set-AiTokenQuota -Agent first -DailyTokens 1000 | Out-Null
        $global:heldLock = Lock-AiResource -Name r1
        $owners = New-Item -ItemType Directory -Force -Path (Join-Path $env:AISWITCH_HOME 'locks/orphan.owners')
        [ordered]@{ schema_version = 1; lock_id = 'dead0001'; name = 'orphan'; mode = 'Exclusive'; pid = 2147483000
            process_start = 'linux:1'; host = [Environment]::MachineName; acquired_at = [DateTimeOffset]::UtcNow.AddHours(-1).ToString('o') } |
            ConvertTo-Json | Set-Content -LiteralPath (Join-Path $owners 'dead0001.json')
        $global:doneTask = Start-AiTask -Agent first -Prompt 'hello' | Wait-AiTask
        New-Item -ItemType Directory -Path import | Out-Null
        "description: imported`nname: imported`ntags: []`nvariables:`n  IMPORTED_URL: https://example.invalid`n" | Set-Content -NoNewline import/imported.yaml
        New-Item -ItemType Directory -Path claude/projects/-work-app | Out-Null
        """;

    /// <summary>
    /// Token usage and agent metrics, written in the documented formats (docs/usage.md) for today, since only real
    /// agents would record them: 'first' used 120 tokens for $0.50 on model-a, 'second' 10 unpriced tokens on model-b.
    /// </summary>
    public static void WriteUsage(HostedShell shell)
    {
        var now = DateTimeOffset.UtcNow;
        var time = now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var day = now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + ".jsonl";
        File.WriteAllLines(Path.Combine(Directory.CreateDirectory(shell.HomeFile("state/tokens")).FullName, day),
        [
            $$"""{"time":"{{time}}","agent":"first","model":"model-a","input":100,"output":20,"cost_usd":0.5,"cost_source":"pricing"}""",
            $$"""{"time":"{{time}}","agent":"second","model":"model-b","input":7,"output":3,"cost_source":"none"}""",
        ]);
        File.WriteAllLines(Path.Combine(Directory.CreateDirectory(shell.HomeFile("state/metrics")).FullName, day),
        [
            $$"""{"timestamp":"{{time}}","agent":"first","cpu_percent":5,"memory_mb":10,"samples":1}""",
        ]);
    }
}
