using System.Diagnostics;
using System.Text;

namespace AiSwitch.Agent.Tests.Support;

/// <summary>
/// The reference agent as a real child process (<c>dotnet aiswitch-reference-agent.dll ARGS</c>): its stdin and stdout are
/// the pipes the coordinator speaks JSON-RPC over; its stderr (the agent's log) is kept for failure messages.
/// Disposing kills it if it is still running. Shared with bench/AiSwitch.Bench, which links this file.
/// </summary>
public sealed class ReferenceAgentProcess : IDisposable
{
    private const string DllName = "aiswitch-reference-agent.dll";
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ReferenceAgentProcess(Process process)
    {
        Process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_log)
                {
                    _log.AppendLine(e.Data);
                }
            }
        };
        process.Exited += (_, _) => _exited.TrySetResult(process.ExitCode);
        process.EnableRaisingEvents = true;
        process.BeginErrorReadLine();
        if (process.HasExited)
        {
            _exited.TrySetResult(process.ExitCode);
        }
    }

    /// <summary>The built reference agent, found once per test run.</summary>
    public static string DllPath { get; } = Locate();

    public Process Process { get; }

    /// <summary>What the coordinator writes to (the agent's stdin).</summary>
    public Stream Input => Process.StandardInput.BaseStream;

    /// <summary>What the coordinator reads from (the agent's stdout).</summary>
    public Stream Output => Process.StandardOutput.BaseStream;

    /// <summary>Completes with the exit code when the process ends.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>Everything the agent wrote to stderr so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static ReferenceAgentProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The agent must not inherit a coordinator's secrets or home; the tests give it exactly what it needs.
        info.Environment.Remove("AISWITCH_HOME");
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start 'dotnet {DllPath}'.");
        return new ReferenceAgentProcess(process);
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        Process.Dispose();
    }

    /// <summary>
    /// AISWITCH_REFERENCE_AGENT if set; otherwise the repository's src/AiSwitch.ReferenceAgent/bin/&lt;Configuration&gt;/net8.0,
    /// found by walking up from this assembly to the solution file, in the configuration this assembly was built in first.
    /// </summary>
    private static string Locate()
    {
        var overridden = Environment.GetEnvironmentVariable("AISWITCH_REFERENCE_AGENT");
        if (!string.IsNullOrEmpty(overridden))
        {
            return File.Exists(overridden)
                ? overridden
                : throw new FileNotFoundException($"AISWITCH_REFERENCE_AGENT names '{overridden}', which does not exist. Point it at {DllName} or unset it.", overridden);
        }

        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "AiSwitch.PowerShell.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new FileNotFoundException($"Could not find AiSwitch.PowerShell.sln above '{here.FullName}'. Set AISWITCH_REFERENCE_AGENT to the path of {DllName}.");
        }

        var bin = Path.Combine(root.FullName, "src", "AiSwitch.ReferenceAgent", "bin");
        var ownConfiguration = here.FullName.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var candidates = new[] { ownConfiguration, ownConfiguration == "Release" ? "Debug" : "Release" }
            .Select(configuration => Path.Combine(bin, configuration, "net8.0", DllName))
            .ToList();
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                $"The reference agent is not built (looked for {string.Join(" and ", candidates)}). Build it with 'dotnet build src/AiSwitch.ReferenceAgent -c {ownConfiguration}'.");
    }
}
