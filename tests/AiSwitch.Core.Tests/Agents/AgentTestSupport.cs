using System.Text;
using AiSwitch.Core.Agents;

namespace AiSwitch.Core.Tests.Agents;

/// <summary>Small executable scripts and launch requests for the supervision tests.</summary>
internal static class AgentTestSupport
{
    public static readonly string ParentPath = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";

    /// <summary>Writes an executable shell script under <paramref name="folder"/> and returns its path.</summary>
    public static string Script(string folder, string name, string body)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    /// <summary>
    /// A script that starts a child and a grandchild (both sleeping) and waits. The grandchild's parent says "ready"
    /// once every process of the tree exists.
    /// </summary>
    public static string TreeScript(string folder) => Script(folder, "tree.sh",
        "sleep 300 &\nsh -c 'sleep 300 & echo ready; wait' &\nwait");

    public static ProcessLaunchRequest Request(string agent, string command, params string[] arguments) => new()
    {
        AgentName = agent,
        FileName = command,
        Arguments = arguments,
        Environment = new Dictionary<string, string> { ["PATH"] = ParentPath },
    };

    /// <summary>Reads stdout lines until one equals <paramref name="expected"/> (the script's readiness signal).</summary>
    public static async Task ReadUntilAsync(Stream stdout, string expected)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reader = new StreamReader(stdout, Encoding.UTF8, leaveOpen: true);
        while (await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            if (line == expected)
            {
                return;
            }
        }

        throw new InvalidOperationException($"The process closed stdout before printing '{expected}'.");
    }
}
