using System.Globalization;
using AiSwitch.Core.Home;

namespace AiSwitch.TestHost;

/// <summary>The coordinator log written from several processes at once.</summary>
internal static class LogVerbs
{
    /// <summary>
    /// <c>coordinator-log HOME WRITER N</c>: opens HOME's coordinator log, prints "ready", waits for a line on stdin (so
    /// the test starts every writer at the same moment), then writes N events numbered 0 … N-1 and exits.
    /// </summary>
    public static int Write(string[] args)
    {
        var (home, writer, count) = (new AiHome(args[0]), args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
        using var log = new CoordinatorLog(home, writer, TimeProvider.System, maxBytes: 256L * 1024 * 1024, keep: 5);
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        Console.In.ReadLine();
        // Long enough that a torn write would show in the middle of a line, not only at its end.
        var padding = new string('x', 300);
        for (var i = 0; i < count; i++)
        {
            log.Write("test.line", ("writer", writer), ("seq", i), ("padding", padding));
        }

        return 0;
    }
}
