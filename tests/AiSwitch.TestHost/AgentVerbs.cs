using AiSwitch.Core.Agents;
using AiSwitch.Core.Home;

namespace AiSwitch.TestHost;

/// <summary>Agent supervision scenarios run in a separate process, which a test then SIGKILLs.</summary>
internal static class AgentVerbs
{
    /// <summary>
    /// <c>agent-spawn HOME AGENT COMMAND [ARGS…]</c>: starts COMMAND under a process supervisor for a session of its
    /// own, prints "spawned PID", and waits forever. Killed with SIGKILL, it cannot clean up: its agent becomes an
    /// orphan that the next session's sweep must kill.
    /// </summary>
    public static int Spawn(string[] args)
    {
        var home = new AiHome(args[0]);
        var supervisor = new ProcessSupervisor(home, "testhost-" + Environment.ProcessId);
        var process = supervisor.Start(new ProcessLaunchRequest
        {
            AgentName = args[1],
            FileName = args[2],
            Arguments = args[3..],
            Environment = new Dictionary<string, string> { ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin" },
        });
        Console.Out.WriteLine($"spawned {process.Pid}");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }
}
