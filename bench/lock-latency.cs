#:project ../src/AiSwitch.Core/AiSwitch.Core.csproj
#:property PublishAot=false
#:property TargetFramework=net10.0

// Quick probe of uncontended lock acquire + release latency (issue 2 goal: p99 <= 1 ms).
// Usage: dotnet run bench/lock-latency.cs [-- ITERATIONS]
using System.Diagnostics;
using System.Globalization;
using AiSwitch.Core.Home;
using AiSwitch.Core.Locking;

var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var root = Path.Combine(Path.GetTempPath(), "aiswitch-lock-latency-" + Guid.NewGuid().ToString("N"));
var home = new AiHome(root).EnsureCreated();
try
{
    using var locks = new LockOperations(home, sessionId: "latency");
    var mutexPath = Path.Combine(home.LocksDir, "latency-mutex.lock");
    Console.WriteLine($"{"operation",-28} {"p50 µs",8} {"p90 µs",8} {"p99 µs",8} {"max µs",9} {"cpu µs/op",10}  (n={iterations}, goal p99 <= 1000 µs)");
    Report("FileMutex (OS lock only)", () => FileMutex.TryAcquire(mutexPath)!.Dispose());
    Report("exclusive named lock", () => locks.AcquireAsync(new AcquireLockRequest("latency") { Timeout = TimeSpan.Zero }).GetAwaiter().GetResult().Dispose());
    Report("shared named lock", () => locks.AcquireAsync(new AcquireLockRequest("latency-shared") { Mode = LockMode.Shared, Timeout = TimeSpan.Zero }).GetAwaiter().GetResult().Dispose());
}
finally
{
    Directory.Delete(root, recursive: true);
}

void Report(string name, Action acquireAndRelease)
{
    for (var i = 0; i < 500; i++)
    {
        acquireAndRelease(); // warm-up: JIT, file cache
    }

    var samples = new double[iterations];
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    for (var i = 0; i < iterations; i++)
    {
        var start = Stopwatch.GetTimestamp();
        acquireAndRelease();
        samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    // CPU time per operation is what the operation itself costs; wall-clock percentiles also include time spent
    // waiting for a core, which dominates the tail on a busy machine.
    var cpuPerOp = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds / iterations;
    Array.Sort(samples);
    double At(double q) => samples[Math.Min(samples.Length - 1, (int)Math.Ceiling(q * samples.Length) - 1)];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-28} {At(0.50),8:0.0} {At(0.90),8:0.0} {At(0.99),8:0.0} {samples[^1],9:0.0} {cpuPerOp,10:0.0}"));
}
