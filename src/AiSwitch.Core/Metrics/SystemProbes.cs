using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace AiSwitch.Core.Metrics;

/// <summary>
/// What the OS says about the host now: CPU time busy and in all since boot (for a share between two readings), memory
/// used and total, load averages. Null parts where the OS does not say.
/// </summary>
internal readonly record struct SystemReading(TimeSpan? Busy, TimeSpan? Total, long? MemoryUsedBytes, long MemoryTotalBytes, double[]? Load);

internal interface ISystemProbe
{
    SystemReading Read();
}

/// <summary>
/// Host samples from one probe: the CPU share comes from the busy and total time between this reading and the one
/// before, so the first sample has none. One per session (the sampler's ticks and the monitor's frames share it).
/// </summary>
internal sealed class SystemSampler(ISystemProbe probe, TimeProvider clock)
{
    private readonly object _gate = new();
    private SystemReading? _previous;

    public static SystemSampler For(AiSession session) => session.GetService(s => new SystemSampler(SystemProbes.ForThisPlatform(), s.Clock));

    public SystemMetricsSample Sample()
    {
        var reading = probe.Read();
        double? cpu = null;
        lock (_gate)
        {
            if (_previous is { Busy: { } busyBefore, Total: { } totalBefore } && reading is { Busy: { } busy, Total: { } total } && total > totalBefore)
            {
                cpu = Math.Round(Math.Clamp((busy - busyBefore) / (total - totalBefore) * 100, 0, 100), 2);
            }

            _previous = reading;
        }

        return new SystemMetricsSample
        {
            Timestamp = clock.GetUtcNow(),
            CpuPercent = cpu,
            MemoryUsedMb = reading.MemoryUsedBytes is { } used ? Math.Round(used / 1048576.0, 1) : null,
            MemoryTotalMb = Math.Round(reading.MemoryTotalBytes / 1048576.0, 1),
            Load1 = reading.Load?[0],
            Load5 = reading.Load?[1],
            Load15 = reading.Load?[2],
            Processors = Environment.ProcessorCount,
        };
    }
}

/// <summary>The host probe for this OS: /proc on Linux; GetSystemTimes and GlobalMemoryStatusEx on Windows; getloadavg elsewhere.</summary>
internal static class SystemProbes
{
    public static ISystemProbe ForThisPlatform() => OperatingSystem.IsLinux() ? new ProcSystemProbe()
        : OperatingSystem.IsWindows() ? new WindowsSystemProbe()
        : new PortableSystemProbe();

    /// <summary>
    /// /proc/stat's first line (user nice system idle iowait irq softirq steal, in 1/100 s; idle and iowait are not busy),
    /// /proc/meminfo's MemTotal and MemAvailable, /proc/loadavg.
    /// </summary>
    public sealed class ProcSystemProbe : ISystemProbe
    {
        public SystemReading Read()
        {
            TimeSpan? busy = null, total = null;
            if (ReadFirstLine("/proc/stat") is { } cpu && cpu.StartsWith("cpu ", StringComparison.Ordinal))
            {
                var ticks = cpu[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(8)
                    .Select(t => long.Parse(t, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
                var all = ticks.Sum();
                total = TimeSpan.FromSeconds(all / 100.0);
                busy = TimeSpan.FromSeconds((all - ticks[3] - (ticks.Length > 4 ? ticks[4] : 0)) / 100.0);
            }

            long memTotal = 0;
            long? available = null;
            foreach (var line in Lines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    memTotal = Kilobytes(line);
                }
                else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    available = Kilobytes(line);
                }
            }

            var load = ReadFirstLine("/proc/loadavg")?.Split(' ').Take(3).Select(t => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
            return new SystemReading(busy, total, available is { } a && memTotal > 0 ? memTotal - a : null, memTotal, load is { Length: 3 } ? load : null);
        }

        private static long Kilobytes(string line)
            => long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture) * 1024;

        private static string? ReadFirstLine(string path) => Lines(path).FirstOrDefault();

        private static IEnumerable<string> Lines(string path)
        {
            try
            {
                return File.ReadAllLines(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return [];
            }
        }
    }

    [SupportedOSPlatform("windows")]
    public sealed class WindowsSystemProbe : ISystemProbe
    {
        public SystemReading Read()
        {
            TimeSpan? busy = null, total = null;
            if (GetSystemTimes(out var idle, out var kernel, out var user))
            {
                // Kernel time includes the idle time.
                total = TimeSpan.FromTicks(kernel + user);
                busy = TimeSpan.FromTicks(kernel + user - idle);
            }

            var memory = new MemoryStatusEx { Length = (uint)Marshal.SizeOf<MemoryStatusEx>() };
            return GlobalMemoryStatusEx(ref memory)
                ? new SystemReading(busy, total, (long)(memory.TotalPhys - memory.AvailPhys), (long)memory.TotalPhys, null)
                : new SystemReading(busy, total, null, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, null);
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct MemoryStatusEx
        {
            public uint Length;
            public uint MemoryLoad;
            public ulong TotalPhys;
            public ulong AvailPhys;
            public ulong TotalPageFile;
            public ulong AvailPageFile;
            public ulong TotalVirtual;
            public ulong AvailVirtual;
            public ulong AvailExtendedVirtual;
        }

        [DllImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        private static extern bool GetSystemTimes(out long idle, out long kernel, out long user);

        [DllImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        private static extern bool GlobalMemoryStatusEx(ref MemoryStatusEx buffer);
    }

    /// <summary>macOS and other Unix: the load average (getloadavg) and total memory; CPU share and memory in use are not read.</summary>
    public sealed class PortableSystemProbe : ISystemProbe
    {
        public SystemReading Read()
        {
            var load = new double[3];
            return new SystemReading(null, null, null, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, getloadavg(load, 3) == 3 ? load : null);
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int getloadavg([Out] double[] load, int count);
    }
}
