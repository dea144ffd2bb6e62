using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace AiSwitch.Core.Agents;

/// <summary>
/// Process groups on Unix: a supervised agent leads its own group (started through setsid, or moved with setpgid
/// right after start), so one kill(-pgid) reaches every descendant that did not leave the group on purpose.
/// </summary>
internal static class UnixProcessGroup
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    private const int Esrch = 3;

    /// <summary>How long a freshly started child may take to make its group (it is a few instructions past its exec).</summary>
    public static readonly TimeSpan LeadershipLimit = TimeSpan.FromSeconds(2);

    private static readonly Lazy<string?> SetsidPath = new(() =>
        new[] { "/usr/bin/setsid", "/bin/setsid", "/usr/local/bin/setsid" }.FirstOrDefault(File.Exists));

    /// <summary>The setsid utility, when this system has one (util-linux on Linux; absent on macOS).</summary>
    public static string? Setsid => SetsidPath.Value;

    /// <summary>Sends <paramref name="signal"/> to every process of group <paramref name="pgid"/>; false when the group is empty.</summary>
    public static bool Signal(int pgid, int signal)
    {
        if (pgid <= 1)
        {
            return false; // never signal group 0 (our own) or -1 (everything we may signal)
        }

        return Kill(-pgid, signal) == 0;
    }

    /// <summary>Whether any process (a zombie included) is still in the group.</summary>
    public static bool Exists(int pgid) => pgid > 1 && (Kill(-pgid, 0) == 0 || Marshal.GetLastPInvokeError() != Esrch);

    /// <summary>Makes <paramref name="pid"/> the leader of a new group; false when it has exec'd or exited meanwhile.</summary>
    public static bool MoveToOwnGroup(int pid) => SetProcessGroup(pid, pid) == 0;

    /// <summary>
    /// Waits until <paramref name="process"/>, started through setsid or setpgrp, leads its own group: those call
    /// setsid()/setpgrp() only after their own exec, so for a moment after Process.Start the child is still in our
    /// group. True as well when it exited meanwhile: its group, if it made one, holds what it left behind. False only
    /// when it is still running outside a group of its own after <see cref="LeadershipLimit"/>; the caller then treats it
    /// as ungrouped (KillTree walks the tree instead).
    /// </summary>
    public static bool AwaitLeadership(Process process)
    {
        var spin = new SpinWait();
        var deadline = Stopwatch.GetTimestamp() + (long)(LeadershipLimit.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var group = GetProcessGroup(process.Id);
            if (group == process.Id || group < 0 || process.HasExited)
            {
                return true;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            spin.SpinOnce(sleep1Threshold: 20);
        }
    }

    /// <summary>The group of a process, or null when it is gone.</summary>
    public static int? GroupOf(int pid)
    {
        var group = GetProcessGroup(pid);
        return group > 0 ? group : null;
    }

    /// <summary>
    /// Pids of the group's members (Linux: from /proc). Empty elsewhere, where callers rely on <see cref="Exists"/>.
    /// </summary>
    public static IReadOnlyList<int> Members(int pgid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        var members = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && StatFields(pid) is { } fields && fields[0] is not ("Z" or "X")
                && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var group) && group == pgid)
            {
                members.Add(pid);
            }
        }

        return members;
    }

    /// <summary>
    /// The live descendants of <paramref name="roots"/> (Linux: parent links in /proc), whatever their group or session:
    /// those that called setsid too, which a kill of the group does not reach. Empty elsewhere.
    /// </summary>
    public static IReadOnlyList<int> Descendants(IReadOnlyCollection<int> roots)
    {
        if (!OperatingSystem.IsLinux() || roots.Count == 0)
        {
            return [];
        }

        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && StatFields(pid) is { } fields && fields[0] is not ("Z" or "X")
                && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent))
            {
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(pid);
            }
        }

        var found = new List<int>();
        var seen = new HashSet<int>(roots);
        var queue = new Queue<int>(roots);
        while (queue.TryDequeue(out var pid))
        {
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                if (seen.Add(child))
                {
                    found.Add(child);
                    queue.Enqueue(child);
                }
            }
        }

        return found;
    }

    /// <summary>Sends <paramref name="signal"/> to one process; false when it is gone.</summary>
    public static bool SignalProcess(int pid, int signal) => pid > 1 && Kill(pid, signal) == 0;

    // The fields after the command name: [0] state (field 3), [1] parent (4), [2] group (5).
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: > 2 } fields ? fields : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // it went away while we looked
        }
    }

    // DllImport, not LibraryImport: the generated stubs need unsafe code, and these signatures are blittable anyway.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "setpgid", SetLastError = true)]
    private static extern int SetProcessGroup(int pid, int pgid);

    [DllImport("libc", EntryPoint = "getpgid", SetLastError = true)]
    private static extern int GetProcessGroup(int pid);
}
