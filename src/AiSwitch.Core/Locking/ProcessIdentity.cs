using System.Diagnostics;
using System.Globalization;

namespace AiSwitch.Core.Locking;

/// <summary>
/// Tells a live lock owner from a dead one. A pid alone is not enough: pids are reused, so each owner record
/// keeps its process's start time, and an owner whose pid now has another start time is gone. On Linux the
/// start time is <c>/proc/&lt;pid&gt;/stat</c>'s starttime (clock ticks since boot, exact); elsewhere
/// Process.StartTime in UTC ticks.
/// </summary>
internal static class ProcessIdentity
{
    private static readonly Lazy<string> Current = new(() => StartToken(Environment.ProcessId) ?? "unknown");

    /// <summary>This process's start-time token, as owner records store it.</summary>
    public static string CurrentStartToken => Current.Value;

    /// <summary>Whether the process that wrote a record with <paramref name="pid"/> and <paramref name="startToken"/> still runs.</summary>
    public static OwnerLiveness Check(int pid, string? startToken)
    {
        if (pid <= 0)
        {
            return OwnerLiveness.Dead;
        }

        var now = StartToken(pid);
        if (now is null)
        {
            return OwnerLiveness.Dead;
        }

        return string.IsNullOrEmpty(startToken) || startToken == "unknown" || now == startToken
            ? OwnerLiveness.Alive
            : OwnerLiveness.Reused;
    }

    /// <summary>The start-time token of a running process, or null when no such process runs (a zombie counts as gone).</summary>
    public static string? StartToken(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            return LinuxStartToken(pid);
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : "utc:" + process.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture);
        }
        catch (ArgumentException)
        {
            return null; // no such process
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return "unknown"; // it runs, but we may not read it (another user's process): treat as alive
        }
    }

    private static string? LinuxStartToken(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return ParseLinuxStat(stat);
    }

    /// <summary>
    /// Field 3 (state) and field 22 (starttime) of a /proc/&lt;pid&gt;/stat line. The command name (field 2) is
    /// in parentheses and may itself hold spaces and ')', so fields are counted from the last ')'.
    /// </summary>
    internal static string? ParseLinuxStat(string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        const int StateIndex = 0;      // field 3
        const int StartTimeIndex = 19; // field 22
        if (fields.Length <= StartTimeIndex || fields[StateIndex] is "Z" or "X" or "x")
        {
            return null;
        }

        return "linux:" + fields[StartTimeIndex];
    }
}

internal enum OwnerLiveness
{
    Alive,
    Dead,
    Reused,
}
