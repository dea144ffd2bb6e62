using System.Globalization;
using AiSwitch.Core.Home;
using AiSwitch.Core.Locking;

namespace AiSwitch.TestHost;

/// <summary>Lock scenarios run in a separate process by the Locking tests.</summary>
internal static class LockVerbs
{
    /// <summary>
    /// <c>lock-increment HOME NAME FILE N</c>: N times, takes the exclusive lock NAME, reads the number in FILE,
    /// adds one and writes it back, then releases. Without the lock, concurrent copies would lose updates.
    /// </summary>
    public static int Increment(string[] args)
    {
        var (home, name, file, count) = (args[0], args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture));
        using var locks = new LockOperations(new AiHome(home));
        var request = new AcquireLockRequest(name) { Timeout = TimeSpan.FromMinutes(5) };
        for (var i = 0; i < count; i++)
        {
            using (locks.AcquireAsync(request).GetAwaiter().GetResult())
            {
                var text = File.Exists(file) ? File.ReadAllText(file) : "0";
                var value = int.Parse(text.Length == 0 ? "0" : text, CultureInfo.InvariantCulture);
                File.WriteAllText(file, (value + 1).ToString(CultureInfo.InvariantCulture));
            }
        }

        return 0;
    }

    /// <summary>
    /// <c>lock-hold HOME NAME exclusive|shared</c>: takes the lock, prints "held PID LOCKID", and keeps it until
    /// stdin closes (a test kills it instead, to leave a stale owner record behind).
    /// </summary>
    public static int Hold(string[] args)
    {
        var mode = Enum.Parse<LockMode>(args[2], ignoreCase: true);
        using var locks = new LockOperations(new AiHome(args[0]), sessionId: "testhost");
        using var held = locks.AcquireAsync(new AcquireLockRequest(args[1]) { Mode = mode, Timeout = TimeSpan.FromMinutes(1) }).GetAwaiter().GetResult();
        Console.Out.WriteLine($"held {Environment.ProcessId} {held.LockId}");
        Console.Out.Flush();
        while (Console.In.ReadLine() is not null)
        {
        }

        return 0;
    }
}
