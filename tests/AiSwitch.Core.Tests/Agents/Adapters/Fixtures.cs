using System.Runtime.CompilerServices;
using AiSwitch.Core.Agents.Adapters;

namespace AiSwitch.Core.Tests.Agents.Adapters;

/// <summary>
/// Event streams recorded from the real CLIs (Claude Code 2.1.197, Codex 0.169.0, Gemini CLI 0.61.0) against the mock
/// provider with scripted replies; the file names say the scenario. Read from the source tree beside this file.
/// </summary>
internal static class Fixtures
{
    public static string[] Lines(string name) => File.ReadAllLines(Path.Combine(Folder(), "Fixtures", name));

    /// <summary>Feeds every line to the parser; returns the index of the first final line (or -1).</summary>
    public static int Feed(AgentEventParser parser, IEnumerable<string> lines)
    {
        var index = 0;
        foreach (var line in lines)
        {
            if (parser.Accept(line).Kind == LineKind.Final)
            {
                return index;
            }

            index++;
        }

        return -1;
    }

    /// <summary>Feeds a recorded failure and checks it ended the task as a retryable error; returns that error.</summary>
    public static string RetryableError(AgentEventParser parser, string name)
    {
        Feed(parser, Lines(name));
        var outcome = parser.Outcome();
        Assert.True(outcome.Completed, $"{name}: no final event");
        Assert.False(outcome.Success, $"{name}: reported success");
        Assert.True(outcome.Retryable, $"{name}: not retryable: {outcome.Error}");
        return outcome.Error!;
    }

    private static string Folder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
