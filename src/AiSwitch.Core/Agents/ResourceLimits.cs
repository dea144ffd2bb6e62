using System.Globalization;
using System.Text;

namespace AiSwitch.Core.Agents;

/// <summary>
/// Applies an agent's <see cref="AgentLimits"/> to its processes and names the limit when one ends an agent.
/// Unix: rlimits set on the agent's own process before it runs (prlimit, or the shell's ulimit where there is no
/// prlimit), inherited by everything it starts: RLIMIT_DATA for memory (the heap and private writable mappings; not
/// RLIMIT_AS, which Node and .NET exceed at start by reserving address space they never use) and RLIMIT_CPU for CPU
/// time. A CPU share has no rlimit: it is refused there rather than silently not enforced. Windows: the agent's job
/// object (<see cref="WindowsJobObject"/>) carries all three.
/// </summary>
internal static class ResourceLimits
{
    private const int SigAbrt = 128 + 6;
    private const int SigKill = 128 + 9;
    private const int SigXcpu = 128 + 24;

    private static readonly string[] OutOfMemoryWords =
    [
        "out of memory", "memoryerror", "cannot allocate memory", "allocation failed", "outofmemory", "bad_alloc",
        "not enough memory", "cannot allocate",
    ];

    private static readonly string? Prlimit = OperatingSystem.IsLinux()
        ? new[] { "/usr/bin/prlimit", "/bin/prlimit" }.FirstOrDefault(File.Exists)
        : null;

    /// <summary>What enforces memory and CPU time here, as messages name it.</summary>
    public static string Mechanism(bool memory) => OperatingSystem.IsWindows() ? "enforced by the agent's Windows job object"
        : memory ? "enforced by RLIMIT_DATA" : "enforced by RLIMIT_CPU";

    /// <summary>
    /// The command to start so the limits hold from the agent's first instruction (Unix; Windows limits its job object
    /// instead and gets the command back as it is). prlimit and sh both exec the command, so its pid stays the same.
    /// </summary>
    public static (string FileName, IReadOnlyList<string> Arguments) Wrap(string agent, AgentLimits? limits, string command, IReadOnlyList<string> arguments)
        => Wrap(agent, limits, command, arguments, Prlimit);

    /// <summary><see cref="Wrap(string, AgentLimits?, string, IReadOnlyList{string})"/> with prlimit at <paramref name="prlimit"/>, or the shell when null.</summary>
    internal static (string FileName, IReadOnlyList<string> Arguments) Wrap(string agent, AgentLimits? limits, string command, IReadOnlyList<string> arguments, string? prlimit)
    {
        if (limits is null || limits.IsEmpty || OperatingSystem.IsWindows())
        {
            return (command, arguments);
        }

        if (limits.CpuPercent is { } percent)
        {
            throw new AiSwitchException(ErrorId.AgentInitializationFailed,
                $"Agent '{agent}' cannot start: its limits.cpu {percent.ToString("0.##", CultureInfo.InvariantCulture)}% is a CPU share, which AiSwitch " +
                "enforces on Windows only (a job object); on this system no per-process limit holds a share. Remove limits.cpu from " +
                "config/agents.yaml, or cap its CPU time with limits.cpu_time.",
                agent);
        }

        var cpuSeconds = limits.CpuTime is { } time ? (long)Math.Ceiling(time.TotalSeconds) : (long?)null;
        if (prlimit is not null)
        {
            var wrapped = new List<string>();
            if (limits.MemoryBytes is { } bytes)
            {
                wrapped.Add("--data=" + bytes.ToString(CultureInfo.InvariantCulture));
            }

            if (cpuSeconds is { } seconds)
            {
                // A soft limit below the hard one: SIGXCPU, which names the cause, comes before the hard limit's SIGKILL.
                wrapped.Add(string.Create(CultureInfo.InvariantCulture, $"--cpu={seconds}:{seconds + 1}"));
            }

            return (prlimit, [.. wrapped, "--", command, .. arguments]);
        }

        var script = new StringBuilder();
        if (limits.MemoryBytes is { } memory)
        {
            script.Append(CultureInfo.InvariantCulture, $"ulimit -d {memory / 1024} && ");
        }

        if (cpuSeconds is { } cpu)
        {
            // Soft first (a hard limit below the soft one is refused), one second under the hard limit, as with prlimit.
            script.Append(CultureInfo.InvariantCulture, $"ulimit -S -t {cpu} && ulimit -H -t {cpu + 1} && ");
        }

        script.Append("exec \"$0\" \"$@\"");
        return ("/bin/sh", ["-c", script.ToString(), command, .. arguments]);
    }

    /// <summary>
    /// Which limit ended the process, as a sentence naming it and the fix; null when none did. A CPU-time limit shows as
    /// SIGXCPU (or the job's CPU time reaching it); a memory limit as an allocation failure the program reports on stderr,
    /// or a kill or abort (SIGKILL, SIGABRT, or the job's peak memory at the limit).
    /// </summary>
    public static string? Cause(string agent, AgentLimits? limits, int exitCode, string stderr, (bool Memory, bool CpuTime)? jobReached = null)
    {
        if (limits is null || limits.IsEmpty || exitCode == 0)
        {
            return null;
        }

        var cpuTimeHit = jobReached?.CpuTime ?? (exitCode == SigXcpu || (exitCode == SigKill && limits.MemoryBytes is null));
        if (limits.CpuTime is { } cpuTime && cpuTimeHit)
        {
            return $"Agent '{agent}' hit its CPU time limit (limits.cpu_time {AgentRules.FormatDuration(cpuTime)}s, {Mechanism(memory: false)}) " +
                "and was stopped. Raise limits.cpu_time in config/agents.yaml, or give it smaller tasks.";
        }

        var memoryHit = jobReached?.Memory == true || exitCode is SigKill or SigAbrt
            || OutOfMemoryWords.Any(word => stderr.Contains(word, StringComparison.OrdinalIgnoreCase));
        if (limits.MemoryBytes is { } bytes && memoryHit)
        {
            return $"Agent '{agent}' hit its memory limit (limits.memory {AgentLimits.FormatMemory(bytes)}, {Mechanism(memory: true)}): " +
                $"it could not get more memory and ended with exit code {exitCode}. Raise limits.memory in config/agents.yaml.";
        }

        return null;
    }
}
