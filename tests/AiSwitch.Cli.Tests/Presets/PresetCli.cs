using System.Diagnostics;

namespace AiSwitch.Cli.Tests.Presets;

/// <summary>
/// The built <c>aiswitch</c> run as a child process with its own AISWITCH_HOME, so tests never share the
/// process-wide variable (or the real ~/.aiswitch).
/// </summary>
internal sealed class PresetCli : IDisposable
{
    private static readonly string Executable = Path.Combine(AppContext.BaseDirectory, "aiswitch.dll");

    public PresetCli()
    {
        Root = Path.Combine(Path.GetTempPath(), "aiswitch-cli-presets", Guid.NewGuid().ToString("N"));
        Home = Path.Combine(Root, "home");
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Home { get; }

    public string PresetFile(string name) => Path.Combine(Home, "config", "presets", name + ".yaml");

    public (int Code, string Out, string Err) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        start.ArgumentList.Add(Executable);
        arguments.ToList().ForEach(start.ArgumentList.Add);
        start.Environment["AISWITCH_HOME"] = Home;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.GetAwaiter().GetResult());
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
