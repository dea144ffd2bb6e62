using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using AiSwitch.Core.Home;
using AiSwitch.Core.Hosting;

namespace AiSwitch.Core.Locking;

/// <summary>
/// Named cross-process, cross-runspace locks under the home's <c>locks/</c> folder (seed 000 §1.1, seed 003 §5).
/// Exclusion is an OS file lock on <c>NAME.lock</c> (see <see cref="FileMutex"/>), so a killed holder's lock is
/// freed by the kernel; owner records beside it say who holds what, and are cleaned when their holder is gone.
/// One instance per session (<see cref="For"/>) keeps the locks that session holds and releases them all when the
/// session ends.
/// </summary>
internal sealed class LockOperations : IDisposable
{
    /// <summary>A constant, so that the cmdlet's -Timeout starts with it as a literal that its help can read.</summary>
    public const double DefaultTimeoutSeconds = 30;

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(DefaultTimeoutSeconds);

    // Read once: on Unix each read is a uname() or a passwd lookup, too slow for every acquire.
    private static readonly string HostName = Environment.MachineName;
    private static readonly string UserName = Environment.UserName;

    private readonly AiHome _home;
    private readonly LockFolder _folder;
    private readonly TimeProvider _clock;
    private readonly string? _sessionId;
    private readonly ConcurrentDictionary<string, LockHandle> _held = new(StringComparer.Ordinal);
    private int _disposed;

    public LockOperations(AiHome home, TimeProvider? clock = null, string? sessionId = null)
    {
        _home = home;
        _folder = new LockFolder(home);
        _clock = clock ?? TimeProvider.System;
        _sessionId = sessionId;
    }

    /// <summary>The session's lock holder: its locks are released when the session (runspace, CLI process) ends.</summary>
    public static LockOperations For(AiSession session)
        => session.GetService(s => new LockOperations(s.Home, s.Clock, s.Id.ToString()));

    /// <summary>The locks taken through this instance and not yet released.</summary>
    public IReadOnlyList<Lock> Held => [.. _held.Values.Select(h => h.Lock).OrderBy(l => l.AcquiredAt)];

    /// <summary>
    /// Takes a lock, waiting up to the request's timeout with back-off. LockTimeout names the holders;
    /// cancellation stops the wait. The handle releases it; so does disposing this instance.
    /// </summary>
    public async Task<LockHandle> AcquireAsync(AcquireLockRequest request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var name = LockName.Validate(request.Name);
        var timeout = request.Timeout ?? Tasks.CoordinationConfig.Load(_home).LockTimeout;
        if (timeout < TimeSpan.Zero)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                $"Lock timeout {Seconds(timeout)} s is negative. Give 0 to try once, or a number of seconds to wait.", name);
        }

        if (request.Expiry is { } expiry && expiry <= TimeSpan.Zero)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                $"Lock expiry {Seconds(expiry)} s is not positive. Give the number of seconds you expect to hold '{name}', or leave it out for no expiry.", name);
        }

        ThrowIfHeldHere(name, request.Mode);
        var lockPath = _folder.LockFile(name);
        var shared = request.Mode == LockMode.Shared;
        var mutex = await FileMutex.WaitAsync(lockPath, shared, timeout, cancellationToken).ConfigureAwait(false)
            ?? throw TimedOut(name, request.Mode, timeout);
        try
        {
            if (!shared)
            {
                // Holding it exclusively, every record left is from a holder that no longer holds it.
                foreach (var leftover in _folder.Read(name))
                {
                    LockFolder.Remove(leftover.Path);
                }
            }

            var record = NewRecord(name, request);
            var handle = new LockHandle(ToLock(record, LockState.Held, null, lockPath), mutex, _folder.Write(record), Forget);
            _held[handle.LockId] = handle;
            if (Volatile.Read(ref _disposed) != 0)
            {
                handle.Dispose();
                throw new ObjectDisposedException(nameof(LockOperations));
            }

            return handle;
        }
        catch
        {
            mutex.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Releases locks this instance holds: the one with <paramref name="lockId"/>, or every one named
    /// <paramref name="name"/>. LockNotFound when it holds none that match. Returns the released locks.
    /// </summary>
    public IReadOnlyList<Lock> Release(string? name = null, string? lockId = null)
    {
        if (name is null && lockId is null)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument, "Say which lock to release: give its name or its lock id.");
        }

        var matches = _held.Values
            .Where(h => (lockId is null || h.LockId == lockId) && (name is null || h.Name == name))
            .ToList();
        if (matches.Count == 0)
        {
            var what = lockId is null ? $"named '{name}'" : $"with id '{lockId}'" + (name is null ? string.Empty : $" named '{name}'");
            var held = Held;
            var holds = held.Count == 0
                ? "It holds no locks."
                : "It holds: " + string.Join(", ", held.Select(l => $"{l.Name} ({l.LockId})")) + ".";
            throw new AiSwitchException(ErrorId.LockNotFound,
                $"This session holds no lock {what}. {holds} A lock taken by another session or process is released by it; Get-AiLock (aiswitch lock list) lists every holder.",
                lockId ?? name);
        }

        foreach (var handle in matches)
        {
            handle.Dispose();
        }

        return [.. matches.Select(h => h.Lock)];
    }

    /// <summary>
    /// Every owner record under <c>locks/</c> whose name matches <paramref name="namePattern"/> (wildcards allowed),
    /// with its state. Expired holders are reported as warnings; a plain name with no holder is a LockNotFound error.
    /// </summary>
    public IReadOnlyList<Lock> List(string? namePattern = null, IOperationContext? context = null)
    {
        var locks = MatchingNames(namePattern).SelectMany(Inspect).ToList();
        foreach (var expired in locks.Where(l => l.State == LockState.Expired))
        {
            context?.WriteWarning(
                $"Lock '{expired.Name}' (id {expired.LockId}) held by pid {expired.OwnerPid} on '{expired.OwnerHost}' {expired.StateReason}. Its holder is alive, so the lock stays held until that process releases it or ends.");
        }

        if (namePattern is not null && !NamePattern.HasWildcards(namePattern) && locks.Count == 0)
        {
            context?.WriteError(new AiSwitchException(ErrorId.LockNotFound,
                $"No lock named '{namePattern}' has a holder. Get-AiLock (aiswitch lock list) with no name lists every held lock.", namePattern));
        }

        return locks;
    }

    /// <summary>
    /// Removes owner records whose holder is gone (process exited, or its pid reused) or whose lock is no longer
    /// held, asking <paramref name="context"/> before each (-WhatIf answers no). Live holders, including expired
    /// ones, are kept. Returns the records removed.
    /// </summary>
    public async Task<IReadOnlyList<Lock>> ClearStaleAsync(string? namePattern, IOperationContext context, CancellationToken cancellationToken = default)
    {
        var removed = new List<Lock>();
        foreach (var name in MatchingNames(namePattern))
        {
            var before = removed.Count;
            foreach (var stale in Inspect(name).Where(l => l.State == LockState.Stale))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var target = $"lock '{stale.Name}', owner record {stale.LockId} (pid {stale.OwnerPid}: {stale.StateReason})";
                if (await context.ShouldProcessAsync(target, "Remove stale lock owner record", cancellationToken).ConfigureAwait(false)
                    && LockFolder.Delete(_folder.RecordPath(name, stale.LockId)))
                {
                    context.WriteVerbose($"Removed the owner record {stale.LockId} of lock '{stale.Name}': {stale.StateReason}.");
                    removed.Add(stale);
                }
            }

            if (removed.Count > before)
            {
                _folder.Tidy(name);
            }
        }

        await RemoveLeftoversAsync(namePattern, context, cancellationToken).ConfigureAwait(false);
        return removed;
    }

    /// <summary>How old a killed writer's temporary file must be before clean removes it.</summary>
    internal static readonly TimeSpan AbandonedTemporaryAge = TimeSpan.FromMinutes(1);

    // What nobody needs any more: the files of locks no one holds (a lock name used once leaves a lock file and a
    // folder), and the temporary files writers killed mid-write left anywhere in the home.
    private async Task RemoveLeftoversAsync(string? namePattern, IOperationContext context, CancellationToken cancellationToken)
    {
        var unused = MatchingNames(namePattern).Where(name => Inspect(name).Count == 0).ToList();
        if (unused.Count > 0
            && await context.ShouldProcessAsync($"{unused.Count} lock name(s) no one holds, in '{_folder.Root}'", "Remove unused lock files", cancellationToken).ConfigureAwait(false))
        {
            var gone = unused.Count(_folder.RemoveIfUnused);
            context.WriteVerbose($"Removed the files of {gone} unused lock name(s) of {unused.Count}; the others were taken meanwhile.");
        }

        var temporaries = namePattern is null ? AtomicFile.AbandonedTemporaries(_home.Root, AbandonedTemporaryAge) : [];
        if (temporaries.Count > 0
            && await context.ShouldProcessAsync($"{temporaries.Count} temporary file(s) left by writers that were killed, in '{_home.Root}'", "Remove abandoned temporary files", cancellationToken).ConfigureAwait(false))
        {
            var gone = temporaries.Count(AtomicFile.TryRemove);
            context.WriteVerbose($"Removed {gone} temporary file(s) left by killed writers.");
        }
    }

    /// <summary>
    /// <c>aiswitch lock run</c>: holds the lock while <paramref name="command"/> runs with this process's stdio, and
    /// returns its exit code. Cancellation kills the command's process tree. On Linux the command inherits the lock
    /// (its descriptor), so if this process is killed the lock stays held until the command ends: two exclusive
    /// sections never overlap. Something the command leaves running with the descriptor open holds it as long.
    /// </summary>
    public async Task<int> RunAsync(AcquireLockRequest request, string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        await using var held = await AcquireAsync(request, cancellationToken).ConfigureAwait(false);
        var start = new ProcessStartInfo(command) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            using (held.LendToChildren())
            {
                process = Process.Start(start) ?? throw new Win32Exception("no process was started");
            }
        }
        catch (Win32Exception ex)
        {
            const int NoSuchFile = 2, AccessDenied = 13;
            var reason = ex.NativeErrorCode switch
            {
                NoSuchFile => "no such file, and not found on PATH",
                AccessDenied => "permission denied",
                _ => $"system error {ex.NativeErrorCode}",
            };
            throw new AiSwitchException(ErrorId.InvalidArgument,
                $"Cannot run '{command}' under lock '{held.Name}': {reason}. Check the command name, that it is on PATH, and that it is executable.",
                command, ex);
        }

        using (process)
        {
            RecordCommand(held, process.Id);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It ended on its own meanwhile.
                }

                throw;
            }

            return process.ExitCode;
        }
    }

    // The holder's record names the command too, so that list and a waiter's timeout say who holds the lock once the
    // holder is gone, and clean leaves the record alone while the command lives.
    private void RecordCommand(LockHandle held, int commandPid)
    {
        if (OperatingSystem.IsLinux()
            && _folder.Read(held.Name).FirstOrDefault(r => r.LockId == held.LockId)?.Record is { } record
            && ProcessIdentity.StartToken(commandPid) is { } start)
        {
            _folder.Write(record with { CommandPid = commandPid, CommandStart = start });
        }
    }

    /// <summary>Names that have lock files or records in <paramref name="home"/>, for tab completion.</summary>
    public static IReadOnlyList<string> KnownNames(AiHome home) => new LockFolder(home).Names();

    /// <summary>Releases every lock this instance holds.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var handle in _held.Values)
        {
            handle.Dispose();
        }
    }

    // A session waiting for a lock it holds itself would only time out; say so at once instead.
    private void ThrowIfHeldHere(string name, LockMode mode)
    {
        var mine = _held.Values.FirstOrDefault(h => h.Name == name && (mode == LockMode.Exclusive || h.Lock.Mode == LockMode.Exclusive));
        if (mine is not null)
        {
            throw new AiSwitchException(ErrorId.LockAcquisitionFailed,
                $"This session already holds {mine.Lock.Mode.ToString().ToLowerInvariant()} lock '{name}' (lock id {mine.LockId}), so taking it {mode.ToString().ToLowerInvariant()} again would wait for itself. Release it first (Unlock-AiResource), or use shared locks for both.",
                name);
        }
    }

    private void Forget(LockHandle handle) => _held.TryRemove(handle.LockId, out _);

    private IEnumerable<string> MatchingNames(string? namePattern)
    {
        if (namePattern is null)
        {
            return _folder.Names();
        }

        if (!NamePattern.HasWildcards(namePattern))
        {
            var name = LockName.Validate(namePattern);
            return _folder.Names().Where(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        }

        var wildcard = new NamePattern(namePattern);
        return _folder.Names().Where(wildcard.IsMatch);
    }

    /// <summary>
    /// The records of one lock with their states. Records are read before the lock is probed: a record read then
    /// belongs to a holder that had the lock before the probe, so if the probe finds the lock free that holder is
    /// gone for good (a newcomer writes a new record with a new id, never one of these).
    /// </summary>
    private List<Lock> Inspect(string name)
    {
        var records = _folder.Read(name);
        if (records.Count == 0)
        {
            return [];
        }

        var lockPath = _folder.LockFile(name);
        bool held;
        using (var probe = FileMutex.TryAcquire(lockPath))
        {
            held = probe is null;
        }

        return [.. records.Select(r => Describe(name, r, held, lockPath)).OrderBy(l => l.AcquiredAt)];
    }

    private Lock Describe(string name, StoredRecord stored, bool held, string lockPath)
    {
        if (stored.Record is not { } record)
        {
            var unreadable = new LockOwnerRecord
            {
                LockId = stored.LockId,
                Name = name,
                Mode = LockMode.Exclusive,
                Pid = 0,
                Host = string.Empty,
                AcquiredAt = new DateTimeOffset(stored.WrittenAtUtc, TimeSpan.Zero),
            };
            return ToLock(unreadable, LockState.Stale, $"its owner record '{stored.Path}' cannot be read", lockPath);
        }

        var (state, reason) = StateOf(record, held);
        return ToLock(record, state, reason, lockPath);
    }

    private (LockState, string?) StateOf(LockOwnerRecord record, bool held)
    {
        if (!held)
        {
            return (LockState.Stale, "the lock is no longer held: its holder ended without releasing it");
        }

        // Another host's processes cannot be checked from here; trust its record.
        if (string.Equals(record.Host, HostName, StringComparison.OrdinalIgnoreCase))
        {
            var owner = ProcessIdentity.Check(record.Pid, record.ProcessStart);
            if (owner != OwnerLiveness.Alive && record.CommandPid is { } command
                && ProcessIdentity.Check(command, record.CommandStart) == OwnerLiveness.Alive)
            {
                return (LockState.Held, $"its holder {record.Pid} has ended; the command it ran under the lock (pid {command}) still holds it");
            }

            switch (owner)
            {
                case OwnerLiveness.Dead:
                    return (LockState.Stale, $"its owner process {record.Pid} has exited");
                case OwnerLiveness.Reused:
                    return (LockState.Stale, $"pid {record.Pid} now belongs to another process (its start time differs)");
            }
        }

        return record.ExpiresAt is { } expiresAt && expiresAt <= _clock.GetUtcNow()
            ? (LockState.Expired, $"expired at {expiresAt.ToString("u", CultureInfo.InvariantCulture)}")
            : (LockState.Held, null);
    }

    private LockOwnerRecord NewRecord(string name, AcquireLockRequest request)
    {
        var now = _clock.GetUtcNow();
        return new LockOwnerRecord
        {
            LockId = Guid.NewGuid().ToString("N"),
            Name = name,
            Mode = request.Mode,
            Pid = Environment.ProcessId,
            ProcessStart = ProcessIdentity.CurrentStartToken,
            Host = HostName,
            User = UserName,
            SessionId = _sessionId,
            AcquiredAt = now,
            ExpiresAt = request.Expiry is { } expiry ? now + expiry : null,
        };
    }

    private static Lock ToLock(LockOwnerRecord record, LockState state, string? reason, string lockPath) => new()
    {
        Name = record.Name,
        Mode = record.Mode,
        OwnerPid = record.Pid,
        OwnerHost = record.Host,
        OwnerUser = record.User,
        SessionId = record.SessionId,
        AcquiredAt = record.AcquiredAt,
        ExpiresAt = record.ExpiresAt,
        State = state,
        StateReason = reason,
        LockId = record.LockId,
        Path = lockPath,
    };

    private AiSwitchException TimedOut(string name, LockMode mode, TimeSpan timeout)
    {
        var lockPath = _folder.LockFile(name);
        var holders = _folder.Read(name)
            .Select(r => Describe(name, r, held: true, lockPath))
            .Where(l => l.State != LockState.Stale)
            .ToList();
        var who = holders.Count == 0
            ? "another process holds it and has not recorded itself (yet)"
            : "it is held by " + string.Join("; ", holders.Select(h =>
                $"pid {h.OwnerPid} on '{h.OwnerHost}' ({h.Mode.ToString().ToLowerInvariant()}, since {h.AcquiredAt.ToString("u", CultureInfo.InvariantCulture)}, lock id {h.LockId}{(h.StateReason is { } why ? "; " + why : string.Empty)})"));
        var wanted = mode == LockMode.Shared ? "a shared" : "an exclusive";
        return new AiSwitchException(ErrorId.LockTimeout,
            $"Timed out after {Seconds(timeout)} s waiting for {wanted} lock on '{name}': {who}. Wait longer (-Timeout, --timeout), or if that process is gone run Clear-AiStaleLock (aiswitch lock clean).",
            name)
        {
            Details = new Dictionary<string, string>
            {
                ["lock_name"] = name,
                ["holder_pids"] = string.Join(',', holders.Select(h => h.OwnerPid.ToString(CultureInfo.InvariantCulture))),
            },
        };
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
