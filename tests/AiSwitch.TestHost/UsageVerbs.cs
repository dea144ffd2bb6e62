using System.Globalization;
using AiSwitch.Core.Home;
using AiSwitch.Core.Usage;

namespace AiSwitch.TestHost;

/// <summary>Ledger scenarios run in separate processes by the Usage tests.</summary>
internal static class UsageVerbs
{
    /// <summary>
    /// <c>ledger-append HOME AGENT N</c>: appends N records for AGENT (request ids AGENT-0 … AGENT-(N-1)), or forever when
    /// N is 0, printing "appended K" after every 100. A test kills it with SIGKILL mid-append.
    /// </summary>
    public static int Append(string[] args)
    {
        var (home, agent, count) = (new AiHome(args[0]), args[1], long.Parse(args[2], CultureInfo.InvariantCulture));
        var ledger = new TokenLedger(home);
        var time = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        for (var i = 0L; count == 0 || i < count; i++)
        {
            ledger.Append(new LedgerRecord
            {
                Time = time,
                Agent = agent,
                Model = "claude-sonnet-5",
                TaskId = "task-" + i.ToString(CultureInfo.InvariantCulture),
                RequestId = agent + "-" + i.ToString(CultureInfo.InvariantCulture),
                InputTokens = 100,
                OutputTokens = 10,
            });
            if ((i + 1) % 100 == 0)
            {
                Console.Out.WriteLine("appended " + (i + 1).ToString(CultureInfo.InvariantCulture));
                Console.Out.Flush();
            }
        }

        return 0;
    }
}
