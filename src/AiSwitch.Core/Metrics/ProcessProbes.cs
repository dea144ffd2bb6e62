using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using AiSwitch.Core.Agents;

namespace AiSwitch.Core.Metrics;

/// <summary>The probe for this OS: /proc on Linux, <see cref="Process"/> plus the OS's I/O counters elsewhere.</summary>
internal static class ProcessProbes
{
    public static IProcessProbe ForThisPlatform() => OperatingSystem.IsLinux() ? new ProcProbe() : new PortableProbe();

    /// <summary>
    /// Reads <c>/proc/PID/stat</c> (utime and stime in clock ticks of 1/100 s, num_threads, rss in pages) and
    /// <c>/proc/PID/io</c> (read_bytes + write_bytes) of the process and of every live descendant: a CLI agent does its
    /// work in children (node, git, the shell), and a reaped child's bytes are already in its parent's counters.
    /// </summary>
    public sealed class ProcProbe : IProcessProbe
    {
        private const double TicksPerSecond = 100; // USER_HZ on every Linux architecture .NET runs on
        private readonly byte[] _buffer = new byte[4096];
        private readonly long _pageSize = Environment.SystemPageSize;
        private static readonly TimeSpan TreeFreshness = TimeSpan.FromMilliseconds(500);
        private readonly object _gate = new();
        private Dictionary<int, List<int>>? _children;
        private long _childrenAt;

        public ProcessReading? Read(int processId)
        {
            Span<long> fields = stackalloc long[22];
            lock (_gate)
            {
                if (!TryReadStat(processId, fields))
                {
                    return null;
                }

                // After ')': state(3) ppid … utime(14) stime(15) … num_threads(20) … rss(24); index = field - 3.
                var cpu = TimeSpan.FromSeconds((fields[11] + fields[12]) / TicksPerSecond);
                return new ProcessReading(cpu, fields[21] * _pageSize, (int)fields[17], TreeIoBytes(processId));
            }
        }

        /// <summary>The bytes the process tree under <paramref name="root"/> read and wrote; null when /proc/PID/io is not readable.</summary>
        private long? TreeIoBytes(int root)
        {
            if (IoBytes(root) is not { } total)
            {
                return null;
            }

            foreach (var child in Descendants(root))
            {
                total += IoBytes(child) ?? 0; // a child that ended between the scan and now has its bytes in its parent's
            }

            return total;
        }

        private List<int> Descendants(int root)
        {
            var children = Children();
            var found = new List<int>();
            var next = new Queue<int>([root]);
            while (next.TryDequeue(out var pid))
            {
                if (children.TryGetValue(pid, out var list))
                {
                    found.AddRange(list);
                    list.ForEach(next.Enqueue);
                }
            }

            return found;
        }

        /// <summary>
        /// Every process's children, from one walk of /proc kept for <see cref="TreeFreshness"/>: a tick samples all
        /// agents at once, and one walk serves them all.
        /// </summary>
        private Dictionary<int, List<int>> Children()
        {
            if (_children is { } known && Stopwatch.GetElapsedTime(_childrenAt) < TreeFreshness)
            {
                return known;
            }

            var children = new Dictionary<int, List<int>>();
            Span<long> fields = stackalloc long[2];
            foreach (var entry in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(entry.AsSpan()), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    && TryReadStat(pid, fields))
                {
                    var parent = (int)fields[1];
                    if (!children.TryGetValue(parent, out var list))
                    {
                        children[parent] = list = [];
                    }

                    list.Add(pid);
                }
            }

            (_children, _childrenAt) = (children, Stopwatch.GetTimestamp());
            return children;
        }

        private bool TryReadStat(int processId, Span<long> fields)
        {
            if (Read("/stat", processId) is not { } length)
            {
                return false;
            }

            // The command name (field 2) is in parentheses and may hold spaces or ')'; fields are counted after the last ')'.
            var text = _buffer.AsSpan(0, length);
            var close = text.LastIndexOf((byte)')');
            if (close < 0 || close + 2 > text.Length)
            {
                return false;
            }

            fields.Clear();
            var rest = text[(close + 2)..];
            for (var i = 0; i < fields.Length && !rest.IsEmpty; i++)
            {
                var space = rest.IndexOf((byte)' ');
                var field = space < 0 ? rest : rest[..space];
                fields[i] = Utf8Parser.TryParse(field, out long value, out _) ? value : 0;
                rest = space < 0 ? [] : rest[(space + 1)..];
            }

            return true;
        }

        private long? IoBytes(int processId)
        {
            if (Read("/io", processId) is not { } length)
            {
                return null;
            }

            var text = _buffer.AsSpan(0, length);
            return Field(text, "\nread_bytes: "u8) + Field(text, "\nwrite_bytes: "u8);

            static long Field(ReadOnlySpan<byte> text, ReadOnlySpan<byte> name)
            {
                var at = text.IndexOf(name);
                return at >= 0 && Utf8Parser.TryParse(text[(at + name.Length)..], out long value, out _) ? value : 0;
            }
        }

        private int? Read(string file, int processId)
        {
            try
            {
                using var handle = File.OpenHandle("/proc/" + processId.ToString(CultureInfo.InvariantCulture) + file);
                return RandomAccess.Read(handle, _buffer, 0);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// <see cref="Process"/> for CPU, memory and threads; the I/O bytes from GetProcessIoCounters on Windows (every read
    /// and write transfer, files and devices) and proc_pid_rusage on macOS (disk bytes). The agent's process only:
    /// neither OS sums a tree without walking it, and a job object's accounting is the supervisor's.
    /// </summary>
    public sealed class PortableProbe : IProcessProbe
    {
        public ProcessReading? Read(int processId)
        {
            try
            {
                using var process = Process.GetProcessById(processId);
                return new ProcessReading(process.TotalProcessorTime, process.WorkingSet64, process.Threads.Count, IoBytes(process));
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                return null;
            }
        }

        private static long? IoBytes(Process process)
        {
            if (OperatingSystem.IsWindows())
            {
                return WindowsIo.Bytes(process);
            }

            return OperatingSystem.IsMacOS() ? MacIo.Bytes(process.Id) : null;
        }
    }

    [SupportedOSPlatform("windows")]
    private static class WindowsIo
    {
        public static long? Bytes(Process process)
            => GetProcessIoCounters(process.Handle, out var counters) ? (long)(counters.ReadTransferCount + counters.WriteTransferCount) : null;

        [DllImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        private static extern bool GetProcessIoCounters(IntPtr process, out WindowsIoCounters counters);
    }

    [SupportedOSPlatform("macos")]
    private static class MacIo
    {
        private const int RusageInfoV2 = 2;

        /// <summary>rusage_info_v2: a 16-byte uuid, then 64-bit fields; ri_diskio_bytesread and _byteswritten are the 17th and 18th.</summary>
        public static unsafe long? Bytes(int processId)
        {
            var info = stackalloc ulong[20];
            return proc_pid_rusage(processId, RusageInfoV2, info) == 0 ? (long)(info[18] + info[19]) : null;
        }

        [DllImport("libproc", SetLastError = true)]
        private static extern unsafe int proc_pid_rusage(int pid, int flavor, ulong* buffer);
    }
}
