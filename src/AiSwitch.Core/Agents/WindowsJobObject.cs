using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace AiSwitch.Core.Agents;

/// <summary>
/// A Windows job object with KILL_ON_JOB_CLOSE: every process the agent starts joins the job, terminating the job
/// kills them all, and when the last handle closes (our process dies, however it dies) Windows kills them too.
/// The agent is assigned right after it starts, so a child it spawns in that first instant escapes (documented).
/// The agent's <see cref="AgentLimits"/> are the job's: memory of all its processes together, CPU time, a hard CPU-rate cap.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class WindowsJobObject : IDisposable
{
    private const int JobObjectBasicAccountingInformation = 1;
    private const int JobObjectExtendedLimitInformation = 9;
    private const int JobObjectCpuRateControlInformation = 15;
    private const uint CpuRateControlEnable = 0x1;
    private const uint CpuRateControlHardCap = 0x4;

    private IntPtr _handle;

    private WindowsJobObject(IntPtr handle)
    {
        _handle = handle;
    }

    /// <summary>Creates a kill-on-close job with the agent's limits and puts <paramref name="process"/> in it.</summary>
    public static WindowsJobObject Adopt(Process process, AgentLimits? limits = null)
    {
        var handle = CreateJobObject(IntPtr.Zero, null);
        if (handle == IntPtr.Zero)
        {
            throw new InvalidOperationException($"CreateJobObject failed (Win32 error {Marshal.GetLastWin32Error()}).");
        }

        var job = new WindowsJobObject(handle);
        try
        {
            var information = WindowsJobLimits.Extended(limits);
            if (!SetInformationJobObject(handle, JobObjectExtendedLimitInformation, ref information, (uint)Marshal.SizeOf<WindowsJobLimits.ExtendedLimitInformation>()))
            {
                throw new InvalidOperationException($"SetInformationJobObject failed (Win32 error {Marshal.GetLastWin32Error()}).");
            }

            if (limits?.CpuPercent is { } percent)
            {
                var rate = new CpuRateControlInformation { ControlFlags = CpuRateControlEnable | CpuRateControlHardCap, CpuRate = WindowsJobLimits.CpuRate(percent, Environment.ProcessorCount) };
                if (!SetCpuRate(handle, JobObjectCpuRateControlInformation, ref rate, (uint)Marshal.SizeOf<CpuRateControlInformation>()))
                {
                    throw new InvalidOperationException($"SetInformationJobObject (CPU rate) failed (Win32 error {Marshal.GetLastWin32Error()}).");
                }
            }

            if (!AssignProcessToJobObject(handle, process.Handle))
            {
                throw new InvalidOperationException($"AssignProcessToJobObject failed (Win32 error {Marshal.GetLastWin32Error()}).");
            }

            return job;
        }
        catch
        {
            job.Dispose();
            throw;
        }
    }

    /// <summary>Whether the job reached its memory limit (its peak at 95 % of it or more) or used up its CPU time.</summary>
    public (bool Memory, bool CpuTime) Reached(AgentLimits limits)
    {
        var extended = default(WindowsJobLimits.ExtendedLimitInformation);
        var accounting = default(BasicAccountingInformation);
        var memory = limits.MemoryBytes is { } bytes
            && QueryInformationJobObject(_handle, JobObjectExtendedLimitInformation, ref extended, (uint)Marshal.SizeOf<WindowsJobLimits.ExtendedLimitInformation>(), IntPtr.Zero)
            && (double)(ulong)extended.PeakJobMemoryUsed >= bytes * 0.95;
        var cpuTime = limits.CpuTime is { } time
            && QueryAccounting(_handle, JobObjectBasicAccountingInformation, ref accounting, (uint)Marshal.SizeOf<BasicAccountingInformation>(), IntPtr.Zero)
            && accounting.TotalUserTime >= time.Ticks;
        return (memory, cpuTime);
    }

    /// <summary>Kills every process in the job.</summary>
    public void Terminate(uint exitCode = 1)
    {
        if (_handle != IntPtr.Zero)
        {
            TerminateJobObject(_handle, exitCode);
        }
    }

    public void Dispose()
    {
        var handle = Interlocked.Exchange(ref _handle, IntPtr.Zero);
        if (handle != IntPtr.Zero)
        {
            CloseHandle(handle);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CpuRateControlInformation
    {
        public uint ControlFlags;
        public uint CpuRate;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct BasicAccountingInformation
    {
        public long TotalUserTime;
        public long TotalKernelTime;
        public long ThisPeriodTotalUserTime;
        public long ThisPeriodTotalKernelTime;
        public uint TotalPageFaultCount;
        public uint TotalProcesses;
        public uint ActiveProcesses;
        public uint TotalTerminatedProcesses;
    }

    [DllImport("kernel32.dll", SetLastError = true, EntryPoint = "SetInformationJobObject")]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool SetCpuRate(IntPtr job, int infoClass, ref CpuRateControlInformation info, uint length);

    [DllImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool QueryInformationJobObject(IntPtr job, int infoClass, ref WindowsJobLimits.ExtendedLimitInformation info, uint length, IntPtr returned);

    [DllImport("kernel32.dll", SetLastError = true, EntryPoint = "QueryInformationJobObject")]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool QueryAccounting(IntPtr job, int infoClass, ref BasicAccountingInformation info, uint length, IntPtr returned);

    [DllImport("kernel32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
    private static extern IntPtr CreateJobObject(IntPtr securityAttributes, string? name);

    [DllImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool SetInformationJobObject(IntPtr job, int infoClass, ref WindowsJobLimits.ExtendedLimitInformation info, uint length);

    [DllImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool AssignProcessToJobObject(IntPtr job, IntPtr process);

    [DllImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool TerminateJobObject(IntPtr job, uint exitCode);

    [DllImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool CloseHandle(IntPtr handle);
}

/// <summary>Win32 IO_COUNTERS: a job's limit information embeds it, GetProcessIoCounters fills it.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct WindowsIoCounters
{
    public ulong ReadOperationCount;
    public ulong WriteOperationCount;
    public ulong OtherOperationCount;
    public ulong ReadTransferCount;
    public ulong WriteTransferCount;
    public ulong OtherTransferCount;
}

/// <summary>The job object's limit information built from an agent's limits: plain data, so it is checked on every OS.</summary>
internal static class WindowsJobLimits
{
    public const uint JobObjectLimitJobTime = 0x4;
    public const uint JobObjectLimitJobMemory = 0x200;
    public const uint JobObjectLimitKillOnJobClose = 0x2000;

    /// <summary>The job's limit information: kill on close, and the agent's memory and CPU-time limits for the job as a whole.</summary>
    public static ExtendedLimitInformation Extended(AgentLimits? limits)
    {
        var flags = JobObjectLimitKillOnJobClose;
        var information = new ExtendedLimitInformation();
        if (limits?.MemoryBytes is { } bytes)
        {
            flags |= JobObjectLimitJobMemory;
            information.JobMemoryLimit = (UIntPtr)(ulong)bytes;
        }

        if (limits?.CpuTime is { } time)
        {
            flags |= JobObjectLimitJobTime;
            information.BasicLimitInformation.PerJobUserTimeLimit = time.Ticks; // 100 ns units, as TimeSpan's ticks
        }

        information.BasicLimitInformation.LimitFlags = flags;
        return information;
    }

    /// <summary>A share of one core as the job's hard cap: hundredths of a percent of the whole machine, 1 to 10000.</summary>
    public static uint CpuRate(double percentOfOneCore, int processors)
        => (uint)Math.Clamp(Math.Round(percentOfOneCore * 100 / Math.Max(1, processors)), 1, 10_000);

    [StructLayout(LayoutKind.Sequential)]
    public struct BasicLimitInformation
    {
        public long PerProcessUserTimeLimit;
        public long PerJobUserTimeLimit;
        public uint LimitFlags;
        public UIntPtr MinimumWorkingSetSize;
        public UIntPtr MaximumWorkingSetSize;
        public uint ActiveProcessLimit;
        public UIntPtr Affinity;
        public uint PriorityClass;
        public uint SchedulingClass;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct ExtendedLimitInformation
    {
        public BasicLimitInformation BasicLimitInformation;
        public WindowsIoCounters IoInfo;
        public UIntPtr ProcessMemoryLimit;
        public UIntPtr JobMemoryLimit;
        public UIntPtr PeakProcessMemoryUsed;
        public UIntPtr PeakJobMemoryUsed;
    }
}
