using System.CommandLine;

namespace AiSwitch.Cli;

/// <summary>
/// The <c>aiswitch</c> command line: builds the verb tree, runs one verb, and maps Core errors to
/// <c>aiswitch: &lt;id&gt; (&lt;code&gt;): &lt;message&gt;</c> on stderr and a documented exit code (docs/cli.md).
/// Callable in-process so tests drive it exactly as a user does.
/// </summary>
public static class AiSwitchCli
{
    /// <summary>Exit code for a command line that does not parse.</summary>
    public const int UsageExitCode = 2;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        using var context = new CliContext(stdout, stderr, cancellationToken);
        var root = BuildRoot(context);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine($"aiswitch: {error.Message}");
            }

            stderr.WriteLine($"Run 'aiswitch {string.Join(' ', CommandPath(parsed))} --help' for usage.".Replace("  ", " "));
            return UsageExitCode;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (AiSwitchException ex)
        {
            return Fail(stderr, ex);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Fail(stderr, new AiSwitchException(ErrorId.OperationCancelled, "Cancelled."));
        }
    }

    public static int Fail(TextWriter stderr, AiSwitchException ex)
    {
        stderr.WriteLine($"aiswitch: {ex.Id} ({ex.Code}): {ex.Message}");
        return ex.Kind.ExitCode();
    }

    private static IEnumerable<string> CommandPath(ParseResult parsed)
    {
        var names = new Stack<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            if (result.Command is not RootCommand)
            {
                names.Push(result.Command.Name);
            }
        }

        return names;
    }

    internal static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("aiswitch: switch AI API presets and drive several AI coding agents at once.");
        foreach (var verb in Verbs(context))
        {
            root.Subcommands.Add(verb);
        }

        return root;
    }

    // One line per verb group; each group lives in Verbs/<Group>Verbs.cs.
    private static IEnumerable<Command> Verbs(CliContext context) =>
    [
        HomeVerbs.Create(context),
        PinVerbs.Create(context),
        LockVerbs.Create(context),
        PresetVerbs.Create(context),
        EnvVerbs.Create(context),
        .. ApplyVerbs.Create(context),
        RunVerbs.Create(context),
        TaskVerbs.Create(context),
        TokensVerbs.Create(context),
        MetricsVerbs.Create(context),
        MonitorVerbs.Create(context),
        AgentVerbs.Create(context),
    ];
}
