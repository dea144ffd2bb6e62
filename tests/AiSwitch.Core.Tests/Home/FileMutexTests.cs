using System.Text.Json.Serialization;
using AiSwitch.Core.Home;
using AiSwitch.Core.Tests.Locking;
using Xunit;

namespace AiSwitch.Core.Tests.Home;

public sealed class FileMutexTests : IDisposable
{
    private readonly TempHome _home = new();

    private string LockPath => Path.Combine(_home.Home.LocksDir, "mutex.lock");

    public void Dispose() => _home.Dispose();

    [Fact]
    public void TwoExclusiveHandlesInOneProcessExcludeEachOther()
    {
        using var first = FileMutex.TryAcquire(LockPath);
        Assert.NotNull(first);

        Assert.Null(FileMutex.TryAcquire(LockPath));
        Assert.Null(FileMutex.TryAcquire(LockPath, shared: true));
    }

    [Fact]
    public void SharedHandlesCoexistAndKeepExclusiveOut()
    {
        using var first = FileMutex.TryAcquire(LockPath, shared: true);
        using var second = FileMutex.TryAcquire(LockPath, shared: true);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.True(first.IsShared);
        Assert.Null(FileMutex.TryAcquire(LockPath));
    }

    [Fact]
    public void DisposingReleasesIt()
    {
        var first = FileMutex.TryAcquire(LockPath)!;
        first.Dispose();
        first.Dispose();

        using var second = FileMutex.TryAcquire(LockPath);
        Assert.NotNull(second);
    }

    [Fact]
    public async Task AWaiterGetsTheLockOnceItIsReleased()
    {
        var holder = FileMutex.TryAcquire(LockPath)!;
        var waiter = FileMutex.WaitAsync(LockPath, shared: false, TimeSpan.FromMinutes(1), CancellationToken.None).AsTask();
        Assert.False(waiter.IsCompleted);

        holder.Dispose();

        using var held = await waiter.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.NotNull(held);
    }

    [Fact]
    public async Task WaitingWithZeroTimeoutTriesOnce()
    {
        using var holder = FileMutex.TryAcquire(LockPath)!;

        Assert.Null(await FileMutex.WaitAsync(LockPath, shared: true, TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public void AHomeFileHeldByAnotherHolderPastTheTimeoutIsResourceContention()
    {
        using var holder = FileMutex.TryAcquire(LockPath)!;

        var error = Assert.Throws<AiSwitchException>(() => FileMutex.Acquire(LockPath, TimeSpan.FromMilliseconds(50)));
        Assert.Equal((ErrorId.ResourceContention, -40305), (error.Id, error.Id.Code()));
        Assert.Contains(LockPath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreatesTheFolderOfTheLockFile()
    {
        var nested = Path.Combine(_home.Root, "new", "folder", "x.lock");

        using var held = FileMutex.TryAcquire(nested);

        Assert.NotNull(held);
        Assert.True(File.Exists(nested));
    }

    [Fact]
    public async Task JsonStateFileUpdatesStayAtomicUnderContention()
    {
        var file = new JsonStateFile<Counter>(Path.Combine(_home.Home.StateDir, "counter.json"), CounterJson.Default.Counter);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 25; i++)
            {
                file.Update(current => new Counter { Value = (current?.Value ?? 0) + 1 }, durable: false);
            }
        })));

        Assert.Equal(100, file.Read()!.Value);
    }
}

public sealed class Counter
{
    public int Value { get; init; }
}

[JsonSerializable(typeof(Counter))]
internal sealed partial class CounterJson : JsonSerializerContext;
