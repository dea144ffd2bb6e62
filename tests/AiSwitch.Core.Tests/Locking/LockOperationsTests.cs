using AiSwitch.Core.Home;
using AiSwitch.Core.Environments;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Locking;
using Xunit;

namespace AiSwitch.Core.Tests.Locking;

/// <summary>Locks within one process: each LockOperations stands for a session (a runspace) of its own.</summary>
public sealed class LockOperationsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);
    private readonly TempHome _home = new();
    private readonly ManualClock _clock = new();
    private readonly LockOperations _first;
    private readonly LockOperations _second;

    public LockOperationsTests()
    {
        _first = new LockOperations(_home.Home, _clock, "session-1");
        _second = new LockOperations(_home.Home, _clock, "session-2");
    }

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
        _home.Dispose();
    }

    private static AcquireLockRequest Exclusive(string name, double timeoutSeconds = 0) => new(name) { Timeout = TimeSpan.FromSeconds(timeoutSeconds) };

    private static AcquireLockRequest Shared(string name, double timeoutSeconds = 0) => new(name) { Mode = LockMode.Shared, Timeout = TimeSpan.FromSeconds(timeoutSeconds) };

    [Fact]
    public async Task AcquireReturnsTheHeldLockWithItsOwner()
    {
        await using var handle = await _first.AcquireAsync(new AcquireLockRequest("build") { Expiry = TimeSpan.FromMinutes(5) });

        var held = handle.Lock;
        Assert.Equal("build", held.Name);
        Assert.Equal(LockMode.Exclusive, held.Mode);
        Assert.Equal(LockState.Held, held.State);
        Assert.Equal(Environment.ProcessId, held.OwnerPid);
        Assert.Equal(Environment.MachineName, held.OwnerHost);
        Assert.Equal("session-1", held.SessionId);
        Assert.Equal(_clock.Now, held.AcquiredAt);
        Assert.Equal(_clock.Now.AddMinutes(5), held.ExpiresAt);
        Assert.Equal(Path.Combine(_home.Home.LocksDir, "build.lock"), held.Path);
        Assert.True(File.Exists(Path.Combine(_home.Home.LocksDir, "build.owners", held.LockId + ".json")));
        Assert.Equal([held.LockId], _first.List().Select(l => l.LockId));
    }

    [Fact]
    public async Task ExclusiveExcludesAnotherSessionInTheSameProcessAndTheTimeoutNamesTheHolder()
    {
        await using var handle = await _first.AcquireAsync(Exclusive("build"));

        var error = await Assert.ThrowsAsync<AiSwitchException>(() => _second.AcquireAsync(Exclusive("build", 0.05)));

        Assert.Equal(ErrorId.LockTimeout, error.Id);
        Assert.Equal(-40303, error.Code);
        Assert.Equal("build", error.Target);
        Assert.Contains($"pid {Environment.ProcessId}", error.Message, StringComparison.Ordinal);
        Assert.Contains(handle.LockId, error.Message, StringComparison.Ordinal);
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Details!["holder_pids"]);
    }

    [Theory]
    [InlineData(LockMode.Exclusive, LockMode.Exclusive)]
    [InlineData(LockMode.Exclusive, LockMode.Shared)]
    [InlineData(LockMode.Shared, LockMode.Exclusive)]
    public async Task ASessionAskingAgainForALockItHoldsFailsAtOnceInsteadOfWaitingForItself(LockMode held, LockMode wanted)
    {
        await using var handle = await _first.AcquireAsync(new AcquireLockRequest("build") { Mode = held });

        var error = await Assert.ThrowsAsync<AiSwitchException>(() =>
            _first.AcquireAsync(new AcquireLockRequest("build") { Mode = wanted, Timeout = TimeSpan.FromMinutes(10) }));

        Assert.Equal(ErrorId.LockAcquisitionFailed, error.Id);
        Assert.Contains(handle.LockId, error.Message, StringComparison.Ordinal);
        Assert.Contains("would wait for itself", error.Message, StringComparison.Ordinal); // refused, not timed out after 10 minutes
    }

    [Fact]
    public async Task SharedLocksCoexist()
    {
        await using var one = await _first.AcquireAsync(Shared("docs"));
        await using var two = await _second.AcquireAsync(Shared("docs"));

        Assert.Equal(2, _first.List("docs").Count(l => l.State == LockState.Held && l.Mode == LockMode.Shared));
    }

    [Fact]
    public async Task SharedBlocksExclusive()
    {
        await using var reader = await _first.AcquireAsync(Shared("docs"));

        var error = await Assert.ThrowsAsync<AiSwitchException>(() => _second.AcquireAsync(Exclusive("docs")));
        Assert.Equal(ErrorId.LockTimeout, error.Id);
        Assert.Contains("an exclusive lock on 'docs'", error.Message, StringComparison.Ordinal);
        Assert.Contains("(shared,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExclusiveBlocksShared()
    {
        await using var writer = await _first.AcquireAsync(Exclusive("docs"));

        var error = await Assert.ThrowsAsync<AiSwitchException>(() => _second.AcquireAsync(Shared("docs")));
        Assert.Equal(ErrorId.LockTimeout, error.Id);
        Assert.Contains("a shared lock on 'docs'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWaiterGetsTheLockWhenTheHolderReleasesIt()
    {
        var holder = await _first.AcquireAsync(Exclusive("build"));
        var waiter = _second.AcquireAsync(Exclusive("build", 60));
        Assert.False(waiter.IsCompleted);

        await holder.DisposeAsync();

        await using var handle = await waiter.WaitAsync(Patience);
        Assert.Equal("session-2", handle.Lock.SessionId);
        Assert.Equal([handle.LockId], _second.List("build").Select(l => l.LockId));
    }

    [Fact]
    public async Task CancellationStopsWaiting()
    {
        await using var holder = await _first.AcquireAsync(Exclusive("build"));
        using var cancellation = new CancellationTokenSource();
        var waiter = _second.AcquireAsync(Exclusive("build", 600), cancellation.Token);

        cancellation.Cancel();

        // Cancelled, not timed out: the wait was for 600 s and a LockTimeout would not be an OperationCanceledException.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter.WaitAsync(Patience));
        Assert.Empty(_second.Held);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("")]
    public async Task BadNamesAreRefusedBeforeAnythingIsWritten(string name)
    {
        var error = await Assert.ThrowsAsync<AiSwitchException>(() => _first.AcquireAsync(Exclusive(name)));

        Assert.Equal(ErrorId.InvalidLockName, error.Id);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_home.Home.LocksDir));
        Assert.Equal(ErrorId.InvalidLockName, Assert.Throws<AiSwitchException>(() => _first.List(name == string.Empty ? "a/b" : name)).Id);
    }

    [Fact]
    public async Task NegativeTimeoutAndNonPositiveExpiryAreInvalidArguments()
    {
        Assert.Equal(ErrorId.InvalidArgument, (await Assert.ThrowsAsync<AiSwitchException>(() => _first.AcquireAsync(Exclusive("build", -1)))).Id);
        var expiry = await Assert.ThrowsAsync<AiSwitchException>(() => _first.AcquireAsync(new AcquireLockRequest("build") { Expiry = TimeSpan.Zero }));
        Assert.Equal(ErrorId.InvalidArgument, expiry.Id);
    }

    [Fact]
    public async Task ReleasingRemovesTheRecordAndFreesTheLock()
    {
        var handle = await _first.AcquireAsync(Exclusive("build"));
        var record = Path.Combine(_home.Home.LocksDir, "build.owners", handle.LockId + ".json");

        handle.Dispose();
        handle.Dispose();

        Assert.True(handle.IsReleased);
        Assert.False(File.Exists(record));
        Assert.Empty(_first.Held);
        Assert.Empty(_first.List());
        await using var again = await _second.AcquireAsync(Exclusive("build"));
    }

    [Fact]
    public async Task ReleaseByNameOrIdReleasesOnlyThisSessionsMatchingLocks()
    {
        var a = await _first.AcquireAsync(Shared("docs"));
        var b = await _first.AcquireAsync(Shared("docs"));
        var c = await _first.AcquireAsync(Exclusive("build"));

        Assert.Equal([a.LockId], _first.Release(lockId: a.LockId).Select(l => l.LockId));
        Assert.Equal([b.LockId], _first.Release(name: "docs").Select(l => l.LockId));
        Assert.True(a.IsReleased && b.IsReleased);
        Assert.False(c.IsReleased);
        Assert.Equal(["build"], _first.Held.Select(l => l.Name));
    }

    [Fact]
    public async Task ReleasingALockThisSessionDoesNotHoldIsLockNotFound()
    {
        await using var other = await _second.AcquireAsync(Exclusive("build"));
        await using var mine = await _first.AcquireAsync(Exclusive("deploy"));

        var error = Assert.Throws<AiSwitchException>(() => _first.Release(name: "build"));

        Assert.Equal(ErrorId.LockNotFound, error.Id);
        Assert.Contains("named 'build'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"deploy ({mine.LockId})", error.Message, StringComparison.Ordinal);
        Assert.False(other.IsReleased);
    }

    [Fact]
    public async Task DisposingTheSessionReleasesEveryLockItHolds()
    {
        var session = new AiSession(_home.Home, new InMemoryEnvironment());
        var locks = LockOperations.For(session);
        Assert.Same(locks, LockOperations.For(session));
        var one = await locks.AcquireAsync(Exclusive("build"));
        var two = await locks.AcquireAsync(Shared("docs"));

        session.Dispose();

        Assert.True(one.IsReleased && two.IsReleased);
        Assert.Empty(_first.List());
        await using var free = await _first.AcquireAsync(Exclusive("build"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => locks.AcquireAsync(Exclusive("x")));
    }

    [Fact]
    public async Task ARecordWhosePidWasReusedIsStaleAndIsTheOnlyOneCleared()
    {
        await using var real = await _first.AcquireAsync(Shared("docs"));
        var impostor = WriteRecord("docs", Environment.ProcessId, processStart: "linux:1");

        var listed = _first.List("docs").ToDictionary(l => l.LockId);

        Assert.Equal(LockState.Held, listed[real.LockId].State);
        Assert.Equal(LockState.Stale, listed[impostor].State);
        Assert.Contains("now belongs to another process", listed[impostor].StateReason, StringComparison.Ordinal);

        var context = new RecordingContext();
        var cleared = await _first.ClearStaleAsync("docs", context);

        Assert.Equal([impostor], cleared.Select(l => l.LockId));
        Assert.Equal([real.LockId], _first.List("docs").Select(l => l.LockId));
    }

    [Fact]
    public async Task ARecordOfAnExitedProcessIsStale()
    {
        await using var real = await _first.AcquireAsync(Shared("docs"));
        var dead = WriteRecord("docs", await TestHost.ExitedPidAsync(), processStart: "linux:1");

        var stale = Assert.Single(_first.List("docs"), l => l.LockId == dead);

        Assert.Equal(LockState.Stale, stale.State);
        Assert.Contains("has exited", stale.StateReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARecordWhoseHolderDiedButWhoseCommandStillHoldsTheLockIsHeldAndNotCleaned()
    {
        // What `lock run` leaves when its process is killed: the lock is held (here by this process, standing for the
        // command that inherited it) and the record names a dead holder and a live command.
        using var inherited = FileMutex.TryAcquire(new LockFolder(_home.Home).LockFile("build"));
        var id = Guid.NewGuid().ToString("N");
        new LockFolder(_home.Home).Write(new LockOwnerRecord
        {
            LockId = id, Name = "build", Mode = LockMode.Exclusive, Pid = await TestHost.ExitedPidAsync(), ProcessStart = "linux:1",
            Host = Environment.MachineName, AcquiredAt = _clock.Now,
            CommandPid = Environment.ProcessId, CommandStart = ProcessIdentity.CurrentStartToken,
        });

        var held = Assert.Single(_first.List("build"));
        var cleared = await _first.ClearStaleAsync("build", new RecordingContext());
        var waiter = await Assert.ThrowsAsync<AiSwitchException>(() => _second.AcquireAsync(Exclusive("build")));

        Assert.Equal((id, LockState.Held), (held.LockId, held.State));
        Assert.Contains($"the command it ran under the lock (pid {Environment.ProcessId}) still holds it", held.StateReason, StringComparison.Ordinal);
        Assert.Empty(cleared);
        Assert.Contains($"(pid {Environment.ProcessId}) still holds it", waiter.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARecordOfALockNobodyHoldsIsStaleEvenIfItsProcessLives()
    {
        var orphan = WriteRecord("build", Environment.ProcessId, ProcessIdentity.CurrentStartToken);

        var stale = Assert.Single(_first.List());

        Assert.Equal(orphan, stale.LockId);
        Assert.Equal(LockState.Stale, stale.State);
        Assert.Contains("no longer held", stale.StateReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreadableRecordIsStale()
    {
        await using var real = await _first.AcquireAsync(Shared("docs"));
        File.WriteAllText(Path.Combine(_home.Home.LocksDir, "docs.owners", "garbage.json"), "{ not json");

        var stale = Assert.Single(_first.List("docs"), l => l.LockId == "garbage");

        Assert.Equal(LockState.Stale, stale.State);
        Assert.Contains("cannot be read", stale.StateReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TakingALockExclusivelyRemovesRecordsLeftByEarlierHolders()
    {
        var leftover = WriteRecord("build", Environment.ProcessId, ProcessIdentity.CurrentStartToken);

        await using var handle = await _first.AcquireAsync(Exclusive("build"));

        Assert.Equal([handle.LockId], _first.List().Select(l => l.LockId));
        Assert.DoesNotContain(leftover, _first.List().Select(l => l.LockId));
    }

    [Fact]
    public async Task ALiveHolderPastItsExpiryIsExpiredWithAWarningAndIsNotCleared()
    {
        await using var handle = await _first.AcquireAsync(new AcquireLockRequest("build") { Expiry = TimeSpan.FromMinutes(1) });
        _clock.Now += TimeSpan.FromMinutes(2);
        var context = new RecordingContext();

        var expired = Assert.Single(_first.List(null, context));

        Assert.Equal(LockState.Expired, expired.State);
        var warning = Assert.Single(context.Warnings);
        Assert.Contains("'build'", warning, StringComparison.Ordinal);
        Assert.Contains("expired at", warning, StringComparison.Ordinal);
        Assert.Empty(await _first.ClearStaleAsync(null, context));
        Assert.False(handle.IsReleased);
    }

    [Fact]
    public async Task ClearingWithWhatIfRemovesNothing()
    {
        var orphan = WriteRecord("build", Environment.ProcessId, "linux:1");
        var whatIf = new RecordingContext(shouldProcess: false);

        Assert.Empty(await _first.ClearStaleAsync(null, whatIf));

        Assert.Single(whatIf.Asked);
        Assert.Contains(orphan, whatIf.Asked[0], StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_home.Home.LocksDir, "build.owners", orphan + ".json")));
    }

    [Fact]
    public async Task ClearingAnUnheldLockRemovesItsOwnersFolder()
    {
        WriteRecord("build", Environment.ProcessId, "linux:1");

        Assert.Single(await _first.ClearStaleAsync("build", new RecordingContext()));

        Assert.False(Directory.Exists(Path.Combine(_home.Home.LocksDir, "build.owners")));
        Assert.Empty(_first.List());
    }

    [Fact]
    public async Task ListingFiltersByWildcardAndReportsAnUnheldPlainNameAsNotFound()
    {
        await using var a = await _first.AcquireAsync(Exclusive("build-web"));
        await using var b = await _first.AcquireAsync(Exclusive("build-api"));
        await using var c = await _first.AcquireAsync(Exclusive("deploy"));
        var context = new RecordingContext();

        Assert.Equal(["build-api", "build-web"], _first.List("BUILD-*").Select(l => l.Name));
        Assert.Equal(["deploy"], _first.List("d?ploy").Select(l => l.Name));
        Assert.Equal(["build-api", "build-web", "deploy"], _first.List().Select(l => l.Name));
        Assert.Empty(_first.List("nothing", context));
        Assert.Equal(ErrorId.LockNotFound, Assert.Single(context.Errors).Id);
        Assert.Equal(["build-api", "build-web", "deploy"], LockOperations.KnownNames(_home.Home));
    }

    [Fact]
    public async Task CleanRemovesTheFilesOfLockNamesNoOneHoldsAndKeepsAHeldOnes()
    {
        for (var i = 0; i < 50; i++)
        {
            (await _first.AcquireAsync(Exclusive($"agent-{i}"))).Dispose();
        }

        await using var held = await _second.AcquireAsync(Exclusive("held"));
        Assert.Equal(102, Directory.GetFileSystemEntries(_home.Home.LocksDir).Length); // NAME.lock and NAME.owners each

        var whatIf = new RecordingContext(shouldProcess: false);
        await _first.ClearStaleAsync(null, whatIf);
        Assert.Equal(102, Directory.GetFileSystemEntries(_home.Home.LocksDir).Length);

        await _first.ClearStaleAsync(null, new RecordingContext());

        Assert.Equal(["held.lock", "held.owners"], Directory.GetFileSystemEntries(_home.Home.LocksDir).Select(Path.GetFileName).Order());
        Assert.Equal(held.LockId, Assert.Single(_first.List()).LockId);
        await using var again = await _first.AcquireAsync(Exclusive("agent-7")); // a removed name works as before
    }

    [Fact]
    public async Task CleanRemovesOnlyTheTemporaryFilesOfWritersThatAreGone()
    {
        var state = Directory.CreateDirectory(_home.Home.StateDir).FullName;
        var deadPid = await TestHost.ExitedPidAsync();
        string Temporary(int pid, TimeSpan age)
        {
            var path = Path.Combine(state, $".tasks.json.{pid}.{Guid.NewGuid():N}.tmp");
            File.WriteAllText(path, "half a write");
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
            return path;
        }

        var abandoned = Temporary(deadPid, TimeSpan.FromMinutes(5));
        var liveWriter = Temporary(Environment.ProcessId, TimeSpan.FromMinutes(5));
        var fresh = Temporary(deadPid, TimeSpan.Zero);
        var notOurs = Path.Combine(state, ".notes.tmp");
        File.WriteAllText(notOurs, "a user's file");
        File.SetLastWriteTimeUtc(notOurs, DateTime.UtcNow - TimeSpan.FromDays(1));

        await _first.ClearStaleAsync(null, new RecordingContext());

        Assert.False(File.Exists(abandoned), "the killed writer's temporary file stayed");
        Assert.True(File.Exists(liveWriter), "a live writer's temporary file was removed");
        Assert.True(File.Exists(fresh), "a temporary file younger than the threshold was removed");
        Assert.True(File.Exists(notOurs), "a file not named as AiSwitch names its temporaries was removed");
    }

    private string WriteRecord(string name, int pid, string? processStart)
    {
        var id = Guid.NewGuid().ToString("N");
        new LockFolder(_home.Home).Write(new LockOwnerRecord
        {
            LockId = id,
            Name = name,
            Mode = LockMode.Shared,
            Pid = pid,
            ProcessStart = processStart,
            Host = Environment.MachineName,
            AcquiredAt = _clock.Now,
        });
        return id;
    }
}
