using System.Diagnostics;
using System.Globalization;

namespace AiSwitch.Agent;

/// <summary>One reading of this process's resource use.</summary>
public readonly record struct ProcessSample(double CpuPercent, double MemoryMb, double DiskIoKb, double UptimeSeconds);

/// <summary>
/// Reads this process's CPU (share of all cores since the previous reading), resident memory, disk I/O (Linux
/// /proc/self/io; 0 elsewhere) and uptime. Network I/O is not measurable per process without privileges, so it is not read.
/// </summary>
public sealed class ProcessSampler
{
    private readonly object _gate = new();
    private readonly Stopwatch _uptime = Stopwatch.StartNew();
    private TimeSpan _lastCpu;
    private TimeSpan _lastWall;

    public ProcessSample Read()
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var wall = _uptime.Elapsed;
        double cpuPercent;
        lock (_gate)
        {
            var wallDelta = (wall - _lastWall).TotalMilliseconds;
            cpuPercent = wallDelta <= 0 ? 0 : Math.Clamp((cpu - _lastCpu).TotalMilliseconds / wallDelta / Environment.ProcessorCount * 100, 0, 100);
            _lastCpu = cpu;
            _lastWall = wall;
        }

        return new ProcessSample(
            Math.Round(cpuPercent, 2),
            Math.Round(process.WorkingSet64 / (1024.0 * 1024.0), 2),
            DiskIoKb(),
            Math.Round(wall.TotalSeconds, 3));
    }

    private static double DiskIoKb()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        try
        {
            long bytes = 0;
            foreach (var line in File.ReadLines("/proc/self/io"))
            {
                if (line.StartsWith("read_bytes:", StringComparison.Ordinal) || line.StartsWith("write_bytes:", StringComparison.Ordinal))
                {
                    bytes += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                }
            }

            return Math.Round(bytes / 1024.0, 2);
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
