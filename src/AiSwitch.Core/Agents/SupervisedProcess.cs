using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using AiSwitch.Core.Locking;

namespace AiSwitch.Core.Agents;

/// <summary>
/// A child started by <see cref="ProcessSupervisor"/>: its stderr pumped to the agent's log, its pid file kept while
/// it lives, and its whole tree killed on <see cref="KillTree"/>, on dispose, and when the leader exits (so nothing
/// the agent started outlives it).
/// </summary>
internal sealed class SupervisedProcess : AgentProcess
{
    private const int StderrTailLines = 40;
    private static readonly TimeSpan StderrDrainLimit = TimeSpan.FromSeconds(1);

    /// <summary>How long a SIGKILLed tree may take to be gone before the process is reported ended anyway.</summary>
    private static readonly TimeSpan KillSettleLimit = TimeSpan.FromSeconds(5);

    private readonly ProcessSupervisor _owner;
    private readonly Process _process;
    private readonly RotatingLog _log;
    private readonly IDisposable? _windowsJob; // the WindowsJobObject on Windows, when it could be made
    private readonly Queue<string> _tail = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _pidFile;
    private readonly object _straysGate = new();
    private List<(int Pid, string Start)> _strays = [];
    private bool _stdinClosed;
    private int _disposed;
    private string? _commandLine;
    private Presets.SecretRedactor? _redactor;
    private readonly AgentLimits? _limits;

    private SupervisedProcess(ProcessSupervisor owner, Process process, string agent, bool grouped, RotatingLog log, AgentLimits? limits)
    {
        _limits = limits;
        _owner = owner;
        _process = process;
        _log = log;
        AgentName = agent;
        Pid = process.Id;
        StartedAt = owner.Clock.GetUtcNow();
        ProcessGroup = grouped && !OperatingSystem.IsWindows() ? process.Id : null;
        _windowsJob = OperatingSystem.IsWindows() ? TryCreateJob(process, agent, limits) : null;
        _pidFile = owner.PidFilePath(agent, Pid);
    }

    public override string AgentName { get; }

    public override int Pid { get; }

    public override int? ProcessGroup { get; }

    public override DateTimeOffset StartedAt { get; }

    public override string? CommandLine => _commandLine;

    public override string? LogFile => _log.Path;

    public override Stream Stdin => _process.StartInfo.RedirectStandardInput && !_stdinClosed ? _process.StandardInput.BaseStream : Stream.Null;

    public override Stream Stdout => _process.StandardOutput.BaseStream;

    public override Task<int> Exited => _exited.Task;

    public override string RecentStderr
    {
        get
        {
            lock (_tail)
            {
                return string.Join('\n', _tail);
            }
        }
    }

    public static SupervisedProcess Attach(ProcessSupervisor owner, Process process, string agent, bool keepStdin, bool grouped, RotatingLog log,
        string? commandLine = null, Presets.SecretRedactor? redactor = null, AgentLimits? limits = null)
    {
        var supervised = new SupervisedProcess(owner, process, agent, grouped, log, limits) { _commandLine = commandLine, _redactor = redactor };
        if (!keepStdin)
        {
            process.StandardInput.Close();
            supervised._stdinClosed = true;
        }

        owner.WritePidFile(new PidFileRecord
        {
            Agent = agent,
            Pid = supervised.Pid,
            StartToken = ProcessIdentity.StartToken(supervised.Pid),
            StartedAt = supervised.StartedAt,
            ProcessGroup = supervised.ProcessGroup,
            SessionId = owner.SessionId,
            OwnerPid = Environment.ProcessId,
            OwnerStartToken = ProcessIdentity.CurrentStartToken,
        });
        _ = supervised.SuperviseAsync();
        return supervised;
    }

    /// <summary>SIGTERM now (on the caller's thread), SIGKILL for what is left after the grace, without waiting for either.</summary>
    public override void KillTree() => _ = KillTreeAsync(_owner.KillGrace);

    public override async Task KillTreeAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        NoteStrays([Pid]);
        if (SignalTree(UnixProcessGroup.SigTerm))
        {
            SignalStrays(UnixProcessGroup.SigTerm);
            await Task.WhenAny(_exited.Task, Task.Delay(grace, cancellationToken)).ConfigureAwait(false);
            KillRemnants();
        }

        await _exited.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await _exited.Task.ConfigureAwait(false);
            return;
        }

        if (!_exited.Task.IsCompleted)
        {
            await KillTreeAsync(_owner.KillGrace).ConfigureAwait(false);
        }

        _windowsJob?.Dispose();

        _process.Dispose();
    }

    /// <summary>SIGTERM (or the job / tree kill where there is no group); false when nothing was left to signal.</summary>
    private bool SignalTree(int signal)
    {
        if (ProcessGroup is { } group)
        {
            return UnixProcessGroup.Signal(group, signal);
        }

        if (_exited.Task.IsCompleted)
        {
            return false;
        }

        // No group to signal: Windows ends the job; elsewhere the tree is walked and killed at once.
        if (OperatingSystem.IsWindows() && _windowsJob is WindowsJobObject windowsJob)
        {
            windowsJob.Terminate();
        }
        else
        {
            TryKillProcessTree();
        }

        return true;
    }

    private void KillRemnants()
    {
        SignalStrays(UnixProcessGroup.SigKill);
        if (ProcessGroup is { } group)
        {
            if (UnixProcessGroup.Exists(group))
            {
                UnixProcessGroup.Signal(group, UnixProcessGroup.SigKill);
            }
        }
        else if (!_exited.Task.IsCompleted)
        {
            TryKillProcessTree();
        }
    }

    private void TryKillProcessTree()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // It exited meanwhile.
        }
    }

    private async Task SuperviseAsync()
    {
        var pump = PumpStderrAsync();
        int exitCode;
        try
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
            exitCode = _process.ExitCode;
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            exitCode = -1;
        }

        // Whatever the agent left running goes with it: its group, and what members of the group started that left it.
        if (ProcessGroup is { } group && UnixProcessGroup.Exists(group))
        {
            await SignalUntilGoneAsync(group, UnixProcessGroup.SigTerm, _owner.KillGrace).ConfigureAwait(false);
        }

        // Stopped means gone: a caller that reports the agent stopped must not find part of its tree still there.
        await SignalUntilGoneAsync(ProcessGroup, UnixProcessGroup.SigKill, KillSettleLimit).ConfigureAwait(false);

        // A descendant that left the group may hold stderr open; do not wait for it forever. A limited agent that failed
        // gets longer: its last words ("Out of memory!") are how an allocation failure is told from any other failure,
        // and on a loaded machine the pump can lag the exit.
        var drain = _limits is { IsEmpty: false } && exitCode != 0 ? KillSettleLimit : StderrDrainLimit;
        await Task.WhenAny(pump, Task.Delay(drain)).ConfigureAwait(false);
        ProcessSupervisor.TryDelete(_pidFile);

        // Noted before the exit is announced, so whoever reacts to the exit finds the limit that caused it.
        if (_limits is { IsEmpty: false } limits
            && ResourceLimits.Cause(AgentName, limits, exitCode, RecentStderr, OperatingSystem.IsWindows() && _windowsJob is WindowsJobObject job ? job.Reached(limits) : null) is { } cause)
        {
            _owner.NoteLimitHit(Pid, cause);
        }

        _exited.TrySetResult(exitCode);
    }

    /// <summary>
    /// Remembers the descendants of <paramref name="roots"/> that are outside the agent's group (they called setsid), while
    /// their parents still live to lead to them: once orphaned they hang from init, and nothing ties them to the agent.
    /// </summary>
    private void NoteStrays(IReadOnlyCollection<int> roots)
    {
        // Group members too: one may call setsid between this look and the group's signal.
        var found = UnixProcessGroup.Descendants(roots)
            .Select(pid => (Pid: pid, Start: ProcessIdentity.StartToken(pid)))
            .Where(p => p.Start is not null)
            .Select(p => (p.Pid, p.Start!))
            .ToList();
        lock (_straysGate)
        {
            _strays = [.. _strays.Union(found)];
        }
    }

    // Only a process that is still the one noted: a pid the system gave to someone else since is left alone.
    private IEnumerable<int> LiveStrays()
    {
        lock (_straysGate)
        {
            return [.. _strays.Where(s => ProcessIdentity.StartToken(s.Pid) == s.Start).Select(s => s.Pid)];
        }
    }

    private void SignalStrays(int signal)
    {
        foreach (var pid in LiveStrays())
        {
            UnixProcessGroup.SignalProcess(pid, signal);
        }
    }

    /// <summary>
    /// Signals the group and every noted stray, looking again each round for what they started meanwhile, until all are
    /// gone or <paramref name="limit"/> passes. Zombies count as gone: they are only not yet reaped by their adopter.
    /// </summary>
    private async Task SignalUntilGoneAsync(int? group, int signal, TimeSpan limit)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var members = group is { } g ? (OperatingSystem.IsLinux() ? UnixProcessGroup.Members(g) : UnixProcessGroup.Exists(g) ? [g] : []) : [];
            NoteStrays([.. members, .. LiveStrays()]);
            if (members.Count == 0 && !LiveStrays().Any())
            {
                return;
            }

            if (group is { } leader)
            {
                UnixProcessGroup.Signal(leader, signal);
            }

            SignalStrays(signal);
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return;
            }

            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    private async Task PumpStderrAsync()
    {
        try
        {
            var reader = new StreamReader(_process.StandardError.BaseStream, Encoding.UTF8);
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } raw)
            {
                var line = _redactor?.Redact(raw) ?? raw;
                lock (_tail)
                {
                    _tail.Enqueue(line.Length > 500 ? line[..500] + "…" : line);
                    while (_tail.Count > StderrTailLines)
                    {
                        _tail.Dequeue();
                    }
                }

                try
                {
                    _log.WriteLine(Pid, line, _owner.Clock.GetUtcNow());
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or AiSwitchException)
                {
                    // A full disk must not stop the agent; its last lines stay in RecentStderr.
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The pipe closed under us: the process is gone.
        }
    }

    private static IDisposable? TryCreateJob(Process process, string agent, AgentLimits? limits)
    {
        if (!OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            return WindowsJobObject.Adopt(process, limits);
        }
        catch (InvalidOperationException) when (limits is null || limits.IsEmpty)
        {
            // Nested jobs are refused on old Windows versions; the tree kill still works.
            return null;
        }
        catch (InvalidOperationException ex)
        {
            // Limits that cannot be set must not be limits that silently do not hold.
            process.Kill(entireProcessTree: true);
            throw new AiSwitchException(ErrorId.AgentInitializationFailed,
                $"Agent '{agent}' cannot start: its limits ({limits}) could not be set on a job object: {ex.Message} Remove limits from its definition in config/agents.yaml to run it without them.",
                agent, ex);
        }
    }
}
