using AiSwitch.Bench.Harness;
using AiSwitch.Core.Home;
using AiSwitch.Core.Locking;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace AiSwitch.Bench;

/// <summary>
/// Uncontended lock acquire + release (issue 2 goal: p99 ≤ 1 ms). A named lock is the OS file lock plus its
/// owner record (write on acquire, delete on release); the bare FileMutex is the floor under it.
/// <c>dotnet run -c Release --project bench/AiSwitch.Bench -- --filter '*LockBenchmarks*'</c>;
/// <c>dotnet run bench/lock-latency.cs</c> prints p50/p99 over 10,000 iterations.
/// </summary>
[Config(typeof(PercentilesConfig))]
[MemoryDiagnoser]
[BenchGoal(GoalStatistic.P99, GoalComparison.AtMost, 1, Issue = 2)]
public class LockBenchmarks
{
    private string _root = string.Empty;
    private string _mutexPath = string.Empty;
    private LockOperations _locks = null!;
    private AcquireLockRequest _exclusive = null!;
    private AcquireLockRequest _shared = null!;

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "aiswitch-bench-" + Guid.NewGuid().ToString("N"));
        var home = new AiHome(_root).EnsureCreated();
        _locks = new LockOperations(home, sessionId: "bench");
        _exclusive = new AcquireLockRequest("bench-exclusive") { Timeout = TimeSpan.Zero };
        _shared = new AcquireLockRequest("bench-shared") { Mode = LockMode.Shared, Timeout = TimeSpan.Zero };
        _mutexPath = Path.Combine(home.LocksDir, "bench-mutex.lock");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _locks.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "FileMutex (OS lock only)")]
    public void FileMutexAcquireRelease()
    {
        using var held = FileMutex.TryAcquire(_mutexPath) ?? throw new InvalidOperationException("the lock is held");
    }

    [Benchmark(Description = "Exclusive named lock")]
    public async Task ExclusiveAcquireRelease()
    {
        await using var held = await _locks.AcquireAsync(_exclusive);
    }

    [Benchmark(Description = "Shared named lock")]
    public async Task SharedAcquireRelease()
    {
        await using var held = await _locks.AcquireAsync(_shared);
    }

    private sealed class PercentilesConfig : ManualConfig
    {
        public PercentilesConfig() => AddColumn(StatisticColumn.P50, StatisticColumn.P95, StatisticColumn.Max);
    }
}
