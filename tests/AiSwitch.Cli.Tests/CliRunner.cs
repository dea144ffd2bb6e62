using AiSwitch.Cli;

namespace AiSwitch.Cli.Tests;

/// <summary>Runs the CLI in-process exactly as a user's command line would, against a throw-away home.</summary>
public static class CliRunner
{
    // AISWITCH_HOME is process-wide; CLI tests that set it run one at a time (see the collection below).
    private static readonly object Gate = new();

    public static (int Code, string Output, string Error) Run(params string[] args) => Run(null, args);

    public static (int Code, string Output, string Error) Run(TempHome? home, params string[] args)
    {
        var output = new StringWriter();
        var (code, error) = Run(home, output, CancellationToken.None, args);
        return (code, output.ToString(), error);
    }

    /// <summary>Runs with a given stdout writer and Ctrl+C token (for verbs that run until cancelled).</summary>
    public static (int Code, string Error) Run(TempHome? home, TextWriter output, CancellationToken cancellation, params string[] args)
    {
        lock (Gate)
        {
            var previous = Environment.GetEnvironmentVariable("AISWITCH_HOME");
            Environment.SetEnvironmentVariable("AISWITCH_HOME", home?.Root ?? Path.Combine(Path.GetTempPath(), "aiswitch-tests", "cli-default"));
            try
            {
                var error = new StringWriter();
                var code = AiSwitchCli.Run(args, output, error, cancellation);
                return (code, error.ToString());
            }
            finally
            {
                Environment.SetEnvironmentVariable("AISWITCH_HOME", previous);
            }
        }
    }

    public sealed class TempHome : IDisposable
    {
        public string Root { get; } = Path.Combine(Path.GetTempPath(), "aiswitch-tests", Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }
        }
    }
}
