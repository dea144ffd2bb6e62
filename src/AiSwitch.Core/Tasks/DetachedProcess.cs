using System.Diagnostics;

namespace AiSwitch.Core.Tasks;

/// <summary>Starts the process that owns a background task, so that it outlives the process that started it.</summary>
internal static class DetachedProcess
{
    /// <summary>Starts <paramref name="command"/> with no stdio and, on Unix, in its own session; returns its pid.</summary>
    public static int Start(IReadOnlyList<string> command)
    {
        ProcessStartInfo start;
        IEnumerable<string> arguments;
        if (OperatingSystem.IsWindows())
        {
            start = new ProcessStartInfo(command[0]) { UseShellExecute = false, CreateNoWindow = true };
            arguments = command.Skip(1);
        }
        else
        {
            // Its own session (setsid) so the terminal's Ctrl+C does not reach it, and no pipe back to a process about to end;
            // exec keeps the shell's pid through setsid and the command, so the pid returned is the owner's.
            start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            arguments = ["-c", "if command -v setsid >/dev/null 2>&1; then exec setsid \"$@\" >/dev/null 2>&1 </dev/null; fi; exec \"$@\" >/dev/null 2>&1 </dev/null", "sh", .. command];
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var child = Process.Start(start)!;
            return child.Id;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new AiSwitchException(ErrorId.ConfigurationError,
                $"The process that runs background tasks could not start ('{command[0]}': {ex.Message}). Set AISWITCH_CLI to the aiswitch executable.", command[0], ex);
        }
    }
}
