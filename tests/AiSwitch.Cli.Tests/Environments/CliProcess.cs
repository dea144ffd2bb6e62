using System.Diagnostics;

namespace AiSwitch.Cli.Tests.Environments;

/// <summary>
/// Runs the built <c>aiswitch</c> as a real child process with its own AISWITCH_HOME: the environment verbs act on
/// their process's environment, so in-process runs would leak into the test host and into each other.
/// With <paramref name="appHost"/> it runs the app host built by src/AiSwitch.Cli instead: the copy in this test's
/// output folder runs on the test's runtime, whose libraries do not match the CLI's for the agent and task verbs.
/// </summary>
internal sealed class CliProcess(string home, IReadOnlyDictionary<string, string>? environment = null, bool appHost = false)
{
    private static readonly string Executable = Path.Combine(AppContext.BaseDirectory, "aiswitch.dll");

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public Result Run(params string[] arguments) => RunIn(home, arguments);

    public Result RunIn(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(appHost ? CliBuild.AppHost : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        if (!appHost)
        {
            start.ArgumentList.Add(Executable);
        }

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
