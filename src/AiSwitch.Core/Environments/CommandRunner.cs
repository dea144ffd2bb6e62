using System.ComponentModel;
using System.Diagnostics;

namespace AiSwitch.Core.Environments;

/// <summary>Runs one command with a given environment and the caller's stdio, and returns its exit code.</summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(string command, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment,
        string workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command, arguments) { UseShellExecute = false, WorkingDirectory = workingDirectory };
        start.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process was started");
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                $"Cannot run '{command}': {ex.Message}. Check the command name and that it is on PATH (or give its full path).",
                command, ex);
        }

        using (process)
        {
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return process.ExitCode;
        }
    }
}
