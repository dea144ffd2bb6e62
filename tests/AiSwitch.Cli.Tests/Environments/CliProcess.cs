using System.Diagnostics;

namespace AiSwitch.Cli.Tests.Environments;

/// <summary>
/// Runs the built <c>aiswitch</c> as a real child process with its own AISWITCH_HOME: the environment verbs act on
/// their process's environment, so in-process runs would leak into the test host and into each other.
/// </summary>
internal sealed class CliProcess(string home, IReadOnlyDictionary<string, string>? environment = null)
{
    private static readonly string Executable = Path.Combine(AppContext.BaseDirectory, "aiswitch.dll");

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public Result Run(params string[] arguments) => RunIn(home, arguments);

    public Result RunIn(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Executable);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AISWITCH_HOME"] = home;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new Result(process.ExitCode, stdout, stderr.GetAwaiter().GetResult());
    }
}
