namespace AiSwitch.Core.Agents;

/// <summary>
/// Starts agent processes under supervision: the exact environment given (nothing inherited), its own process
/// group (Unix) or job object (Windows), stderr to logs/agents/&lt;name&gt;.log with rotation, a pid file under
/// tmp/pids while it lives. Implemented by the registry's process supervisor.
/// </summary>
internal interface IProcessLauncher
{
    /// <summary>
    /// Starts the process. A missing or non-executable command fails with AgentInitializationFailed naming the agent.
    /// </summary>
    AgentProcess Start(ProcessLaunchRequest request);
}

/// <summary>What to start.</summary>
internal sealed record ProcessLaunchRequest
{
    public required string AgentName { get; init; }

    /// <summary>The agent's adapter, named in the fix of a start failure.</summary>
    public string? Adapter { get; init; }

    /// <summary>A path, or a name looked up on the PATH of <see cref="Environment"/>.</summary>
    public required string FileName { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The child's exact environment; nothing else is inherited.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>Keep stdin open as a pipe; otherwise the child's stdin is closed at once (reads see end of file).</summary>
    public bool RedirectStdin { get; init; }

    /// <summary>Masks the secrets of <see cref="Environment"/> in what the child writes to stderr (its log and error tails).</summary>
    public Presets.SecretRedactor? Redactor { get; init; }

    /// <summary>The agent's resource limits, applied to the process before it runs (see <see cref="ResourceLimits"/>).</summary>
    public AgentLimits? Limits { get; init; }
}

/// <summary>
/// Starts every process of one agent with the agent's <see cref="Presets.SecretRedactor"/> and resource limits, so the
/// adapters, which build the requests, need not know about either.
/// </summary>
internal sealed class MaskingLauncher(IProcessLauncher inner, Presets.SecretRedactor redactor, AgentLimits? limits = null) : IProcessLauncher
{
    public AgentProcess Start(ProcessLaunchRequest request) => inner.Start(request with { Redactor = redactor, Limits = limits });
}

/// <summary>
/// A supervised child process. Disposing it kills its tree if it still runs and removes its pid file.
/// </summary>
internal abstract class AgentProcess : IAsyncDisposable
{
    public abstract string AgentName { get; }

    public abstract int Pid { get; }

    /// <summary>The command line it was started with, as may be shown: secret-looking arguments masked, long ones shortened.</summary>
    public virtual string? CommandLine => null;

    /// <summary>The file its stderr goes to.</summary>
    public virtual string? LogFile => null;

    /// <summary>The process group id on Unix (equal to <see cref="Pid"/> when the child leads its own group).</summary>
    public abstract int? ProcessGroup { get; }

    public abstract DateTimeOffset StartedAt { get; }

    /// <summary>The child's stdin; <see cref="Stream.Null"/> unless the request set RedirectStdin.</summary>
    public abstract Stream Stdin { get; }

    public abstract Stream Stdout { get; }

    /// <summary>Completes with the exit code once the process has exited and its stderr is flushed to the log.</summary>
    public abstract Task<int> Exited { get; }

    /// <summary>The last lines the process wrote to stderr (a few KB at most), for error messages; the full text is in the log.</summary>
    public abstract string RecentStderr { get; }

    public bool HasExited => Exited.IsCompleted;

    /// <summary>
    /// Kills the whole tree at once: SIGTERM to the process group, then SIGKILL after a short grace (Unix);
    /// terminating the job object (Windows). Returns without waiting; await <see cref="Exited"/> for the end.
    /// </summary>
    public abstract void KillTree();

    /// <summary>SIGTERM to the group, waiting up to <paramref name="grace"/>, then SIGKILL; completes when the leader has exited.</summary>
    public abstract Task KillTreeAsync(TimeSpan grace, CancellationToken cancellationToken = default);

    public abstract ValueTask DisposeAsync();
}
