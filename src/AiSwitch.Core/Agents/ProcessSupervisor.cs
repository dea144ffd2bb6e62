using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using AiSwitch.Core.Home;
using AiSwitch.Core.Locking;

namespace AiSwitch.Core.Agents;

/// <summary>
/// The session's <see cref="IProcessLauncher"/>: starts agents with exactly the environment given, each in a process
/// group of its own (Unix: through setsid, or perl's setpgrp where there is no setsid) or a kill-on-close job object
/// (Windows), logs their stderr, and keeps a pid file for each while it lives. Disposing it kills every tree it
/// started. A process that dies without disposing (SIGKILL) leaves its pid files; <see cref="SweepOrphans"/>, run
/// when the next session's registry starts, kills what they name.
/// </summary>
internal sealed class ProcessSupervisor : IProcessLauncher, IAsyncDisposable
{
    /// <summary>How long a tree gets between SIGTERM and SIGKILL.</summary>
    public static readonly TimeSpan DefaultKillGrace = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<int, SupervisedProcess> _running = new();
    private readonly ConcurrentDictionary<string, RotatingLog> _logs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, string> _limitHits = new();
    private int _disposed;

    public ProcessSupervisor(AiHome home, string sessionId, TimeProvider? clock = null, long logMaxBytes = RotatingLog.DefaultMaxBytes, int logKeep = RotatingLog.DefaultKeep)
    {
        Home = home;
        SessionId = sessionId;
        Clock = clock ?? TimeProvider.System;
        LogMaxBytes = logMaxBytes;
        LogKeep = logKeep;
    }

    public AiHome Home { get; }

    public string SessionId { get; }

    public TimeProvider Clock { get; }

    public long LogMaxBytes { get; }

    public int LogKeep { get; }

    public TimeSpan KillGrace { get; init; } = DefaultKillGrace;

    public static string PidDirectory(AiHome home) => Path.Combine(home.TmpDir, "pids");

    /// <summary>The processes started here that have not exited yet.</summary>
    public IReadOnlyList<AgentProcess> Running => [.. _running.Values.Where(p => !p.HasExited)];

    public AgentProcess Start(ProcessLaunchRequest request)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var agent = LockName.IsValid(request.AgentName)
            ? request.AgentName
            : throw new AiSwitchException(ErrorId.InvalidAgentName,
                $"Agent name '{request.AgentName}' is not valid: use {LockName.Rule}.", request.AgentName);
        var command = AgentCommands.Resolve(agent, request.Adapter ?? "<adapter>", request.FileName, PathOf(request.Environment));
        var workingDirectory = request.WorkingDirectory ?? Environment.CurrentDirectory;
        if (!Directory.Exists(workingDirectory))
        {
            throw new AiSwitchException(ErrorId.AgentInitializationFailed,
                $"Agent '{agent}' cannot start: its working directory '{workingDirectory}' does not exist. Create it, or change it with Register-AiAgent -Name {agent} -WorkingDirectory <folder> -Force.",
                agent);
        }

        var (limited, limitedArguments) = ResourceLimits.Wrap(agent, request.Limits, command, request.Arguments);
        var (fileName, arguments, grouped) = GroupedLaunch(limited, limitedArguments);
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The child gets exactly this environment: nothing of ours is inherited.
        startInfo.Environment.Clear();
        foreach (var (name, value) in request.Environment)
        {
            startInfo.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(startInfo)
                ?? throw new AiSwitchException(ErrorId.AgentInitializationFailed, $"Agent '{agent}' cannot start: the system started no process for '{command}'.", agent);
        }
        catch (Win32Exception ex)
        {
            // ENOENT here is a script whose interpreter is missing (#!/usr/bin/env node without node).
            throw new AiSwitchException(ex.NativeErrorCode == 2 ? ErrorId.AgentCommandNotFound : ErrorId.AgentInitializationFailed,
                $"Agent '{agent}' cannot start '{command}': {ex.Message}. Check that it is a program for this system, or set another command with Register-AiAgent -Name {agent} -Command <full path> -Force.",
                agent, ex);
        }

        // setsid(1) makes the group a moment after exec; a kill(-pgid) before then would find no group and reach nothing.
        grouped = grouped && UnixProcessGroup.AwaitLeadership(process);

        // A cause noted for the process that had this pid before is not this one's; cleared before this one can exit.
        _limitHits.TryRemove(process.Id, out _);
        var supervised = SupervisedProcess.Attach(this, process, agent, request.RedirectStdin, grouped, LogFor(agent),
            Presets.Redaction.CommandLine(command, request.Arguments), request.Redactor, request.Limits);
        _running[supervised.Pid] = supervised;
        _ = supervised.Exited.ContinueWith(_ => _running.TryRemove(supervised.Pid, out SupervisedProcess? _), TaskScheduler.Default);
        return supervised;
    }

    /// <summary>
    /// Kills the process trees named by pid files whose owner session process is gone (it was SIGKILLed, or the machine
    /// lost power with agents running) and removes those files. Files of live owners are left alone.
    /// </summary>
    public static IReadOnlyList<SweptProcess> SweepOrphans(AiHome home)
    {
        var directory = PidDirectory(home);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var swept = new List<SweptProcess>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.json"))
        {
            var record = ReadPidFile(file);
            if (record is not null && ProcessIdentity.Check(record.OwnerPid, record.OwnerStartToken) == OwnerLiveness.Alive)
            {
                continue;
            }

            if (record is not null)
            {
                swept.Add(new SweptProcess(record.Agent, record.Pid, record.ProcessGroup, KillOrphan(record)));
            }

            TryDelete(file);
        }

        return swept;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Task.WhenAll(_running.Values.Select(p => p.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    /// <summary>
    /// The limit that ended process <paramref name="pid"/> (a sentence naming it), for the task's error, the agent's
    /// last error and a long-lived agent's restart reason alike; null when no limit ended it. Kept until a new process
    /// gets the same pid.
    /// </summary>
    public string? LimitHit(int pid) => _limitHits.TryGetValue(pid, out var cause) ? cause : null;

    internal void NoteLimitHit(int pid, string cause) => _limitHits[pid] = cause;

    internal string PidFilePath(string agent, int pid) => Path.Combine(PidDirectory(Home), $"{SessionId}-{agent}-{pid}.json");

    internal void WritePidFile(PidFileRecord record)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(record, AgentsJsonContext.Default.PidFileRecord);
        AtomicFile.Write(PidFilePath(record.Agent, record.Pid), bytes, durable: false);
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next sweep.
        }
    }

    private RotatingLog LogFor(string agent) => _logs.GetOrAdd(agent, a => new RotatingLog(RotatingLog.PathFor(Home, a), LogMaxBytes, LogKeep));

    private static string? PathOf(IReadOnlyDictionary<string, string> environment)
        => environment.TryGetValue("PATH", out var path) ? path
            : OperatingSystem.IsWindows() ? environment.FirstOrDefault(e => e.Key.Equals("PATH", StringComparison.OrdinalIgnoreCase)).Value
            : null;

    /// <summary>How to start <paramref name="command"/> as the leader of a new process group, and whether we can.</summary>
    private static (string FileName, IReadOnlyList<string> Arguments, bool Grouped) GroupedLaunch(string command, IReadOnlyList<string> arguments)
    {
        if (OperatingSystem.IsWindows())
        {
            return (command, arguments, false);
        }

        // setsid(1) execs the command in a new session (and group) under the same pid, because a child of ours is
        // never already a group leader. setpgid() from here would come too late: Process.Start returns after the
        // exec, and POSIX refuses setpgid on a child that has exec'd (EACCES). Without setsid (macOS), perl's
        // setpgrp does the same; without either, KillTree falls back to walking the tree.
        if (UnixProcessGroup.Setsid is { } setsid)
        {
            return (setsid, [command, .. arguments], true);
        }

        if (File.Exists("/usr/bin/perl"))
        {
            return ("/usr/bin/perl", ["-e", "setpgrp(0,0); exec { $ARGV[0] } @ARGV or die \"exec $ARGV[0]: $!\\n\"", command, .. arguments], true);
        }

        return (command, arguments, false);
    }

    private static PidFileRecord? ReadPidFile(string file)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(file), AgentsJsonContext.Default.PidFileRecord);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int KillOrphan(PidFileRecord record)
    {
        var leaderAlive = ProcessIdentity.Check(record.Pid, record.StartToken) == OwnerLiveness.Alive;
        if (record.ProcessGroup is { } group && !OperatingSystem.IsWindows())
        {
            var members = UnixProcessGroup.Members(group).Count;
            // The leader may be gone while its descendants live on in the group; the group id is only reused once
            // every member is gone, so an existing group is still the agent's.
            if (leaderAlive || UnixProcessGroup.Exists(group))
            {
                UnixProcessGroup.Signal(group, UnixProcessGroup.SigKill);
                return Math.Max(members, 1);
            }

            return 0;
        }

        if (!leaderAlive)
        {
            return 0;
        }

        try
        {
            using var process = Process.GetProcessById(record.Pid);
            process.Kill(entireProcessTree: true);
            return 1;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Win32Exception)
        {
            return 0;
        }
    }
}

/// <summary>One orphaned agent process found by <see cref="ProcessSupervisor.SweepOrphans"/>.</summary>
internal sealed record SweptProcess(string Agent, int Pid, int? ProcessGroup, int Killed);
