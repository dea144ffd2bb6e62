namespace AiSwitch.TestHost;

/// <summary>
/// A separate process for multi-process tests. Each verb is one scenario a test needs from another process:
/// <c>aiswitch-testhost &lt;verb&gt; [args…]</c>. Exit code 0 on success; failures print to stderr.
/// </summary>
public static class Program
{
    private static readonly Dictionary<string, Func<string[], int>> Verbs = new(StringComparer.Ordinal)
    {
        ["state-write-loop"] = StateWriteLoop,
        ["lock-increment"] = LockVerbs.Increment,
        ["lock-hold"] = LockVerbs.Hold,
        ["ledger-append"] = UsageVerbs.Append,
        ["agent-spawn"] = AgentVerbs.Spawn,
        ["coordinator-log"] = LogVerbs.Write,
    };

    public static int Main(string[] args)
    {
        if (args.Length == 0 || !Verbs.TryGetValue(args[0], out var verb))
        {
            Console.Error.WriteLine($"usage: AiSwitch.TestHost <{string.Join('|', Verbs.Keys)}> [args…]");
            return 2;
        }

        return verb(args[1..]);
    }

    /// <summary>
    /// <c>state-write-loop PATH</c>: rewrites PATH atomically forever with a large, self-checking payload
    /// (every line the same generation number), printing "wrote N" after each write. A test kills it mid-write.
    /// </summary>
    private static int StateWriteLoop(string[] args)
    {
        var path = args[0];
        for (var generation = 0L; ; generation++)
        {
            var line = $"generation {generation}\n";
            var payload = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(line, 20_000)));
            Core.Home.AtomicFile.Write(path, payload);
            Console.Out.WriteLine($"wrote {generation}");
            Console.Out.Flush();
        }
    }
}
