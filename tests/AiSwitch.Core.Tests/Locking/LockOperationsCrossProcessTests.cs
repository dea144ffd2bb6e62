using System.Globalization;
using AiSwitch.Core.Locking;
using Xunit;

namespace AiSwitch.Core.Tests.Locking;

/// <summary>Locks between real processes (tests/AiSwitch.TestHost).</summary>
public sealed class LockOperationsCrossProcessTests : IDisposable
{
    private readonly TempHome _home = new();
    private readonly LockOperations _locks;

    public LockOperationsCrossProcessTests() => _locks = new LockOperations(_home.Home);

    public void Dispose()
    {
        _locks.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task EightProcessesIncrementingUnderOneLockLoseNoUpdate()
    {
        var counter = Path.Combine(_home.Root, "counter.txt");

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            TestHost.RunAsync("lock-increment", _home.Root, "counter", counter, "500")));

        Assert.Equal("4000", await File.ReadAllTextAsync(counter));
        Assert.Empty(_locks.List());
    }

    [Fact]
    public async Task AHolderKilledWithSigkillLosesTheLockToAWaiterAndItsRecordIsCleanedAsStale()
    {
        var (holder, holderLockId) = await TestHost.HoldAsync(_home.Home, "build", "exclusive");
        using (holder)
        {
            var timeout = await Assert.ThrowsAsync<AiSwitchException>(() =>
                _locks.AcquireAsync(new AcquireLockRequest("build") { Timeout = TimeSpan.Zero }));
            Assert.Equal(ErrorId.LockTimeout, timeout.Id);
            Assert.Contains($"pid {holder.Id}", timeout.Message, StringComparison.Ordinal);

            var waiter = _locks.AcquireAsync(new AcquireLockRequest("build") { Timeout = TimeSpan.FromSeconds(60) });
            holder.Kill(); // SIGKILL on Unix: no chance to release anything
            await holder.WaitForExitAsync();

            await using var handle = await waiter.WaitAsync(TestHost.Patience);
            var listed = Assert.Single(_locks.List("build"));
            Assert.Equal(handle.LockId, listed.LockId);
            Assert.False(File.Exists(Path.Combine(_home.Home.LocksDir, "build.owners", holderLockId + ".json")));
        }
    }

    [Fact]
    public async Task AKilledSharedHoldersRecordIsStaleAndClearStaleRemovesIt()
    {
        var (holder, holderLockId) = await TestHost.HoldAsync(_home.Home, "docs", "shared");
        using (holder)
        {
            await using var mine = await _locks.AcquireAsync(new AcquireLockRequest("docs") { Mode = LockMode.Shared, Timeout = TimeSpan.Zero });
            Assert.All(_locks.List("docs"), l => Assert.Equal(LockState.Held, l.State));

            holder.Kill();
            await holder.WaitForExitAsync();

            var stale = Assert.Single(_locks.List("docs"), l => l.State == LockState.Stale);
            Assert.Equal(holderLockId, stale.LockId);
            Assert.Equal(holder.Id, stale.OwnerPid);
            Assert.Contains("has exited", stale.StateReason, StringComparison.Ordinal);

            var cleared = await _locks.ClearStaleAsync(null, new RecordingContext());

            Assert.Equal([holderLockId], cleared.Select(l => l.LockId));
            Assert.Equal([mine.LockId], _locks.List().Select(l => l.LockId));
        }
    }

    [Fact]
    public async Task AnotherProcessesSharedLockAdmitsSharedAndKeepsExclusiveOut()
    {
        var (holder, _) = await TestHost.HoldAsync(_home.Home, "docs", "shared");
        using (holder)
        {
            await using (await _locks.AcquireAsync(new AcquireLockRequest("docs") { Mode = LockMode.Shared, Timeout = TimeSpan.Zero }))
            {
            }

            var error = await Assert.ThrowsAsync<AiSwitchException>(() =>
                _locks.AcquireAsync(new AcquireLockRequest("docs") { Timeout = TimeSpan.FromMilliseconds(100) }));
            Assert.Equal(ErrorId.LockTimeout, error.Id);
            Assert.Equal(holder.Id.ToString(CultureInfo.InvariantCulture), error.Details!["holder_pids"]);

            holder.StandardInput.Close(); // lets it release and exit normally
            await holder.WaitForExitAsync().WaitAsync(TestHost.Patience);
            Assert.Equal(0, holder.ExitCode);
            Assert.Empty(_locks.List());
        }
    }
}
