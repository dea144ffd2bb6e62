using System.Globalization;

namespace AiSwitch.Core.Tests.Agents;

/// <summary>Linux /proc views of a process tree, independent of the code under test.</summary>
internal static class ProcessTree
{
    /// <summary><paramref name="root"/> and every live descendant, found through each process's parent pid.</summary>
    public static IReadOnlyList<int> WithDescendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Stat(pid) is { } stat)
            {
                parents[pid] = stat.Parent;
            }
        }

        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        }

        return tree;
    }

    /// <summary>True when no such process runs (a zombie waiting to be reaped counts as gone: it runs nothing).</summary>
    public static bool IsGone(int pid) => Stat(pid) is not { } stat || stat.State is "Z" or "X";

    private static (string State, int Parent)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return (fields[0], int.Parse(fields[1], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Waits (polling /proc, which offers no notification) until every pid is gone, or the timeout passes.</summary>
    public static async Task<IReadOnlyList<int>> WaitAllGoneAsync(IEnumerable<int> pids, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var left = pids.ToList();
        while (true)
        {
            left.RemoveAll(IsGone);
            if (left.Count == 0 || DateTime.UtcNow > deadline)
            {
                return left;
            }

            await Task.Delay(20);
        }
    }
}
