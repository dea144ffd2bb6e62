using System.CommandLine;
using System.Globalization;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Locking;

namespace AiSwitch.Cli;

/// <summary>
/// <c>aiswitch lock run NAME [--shared] [--timeout S] [--expiry S] -- CMD ARGS…</c>, <c>aiswitch lock list [PATTERN]</c>,
/// <c>aiswitch lock clean [PATTERN]</c> (docs/cli/lock.md).
/// </summary>
internal static class LockVerbs
{
    private static readonly string[] TableColumns =
        [nameof(Lock.Name), nameof(Lock.Mode), nameof(Lock.State), nameof(Lock.OwnerPid), nameof(Lock.OwnerHost), nameof(Lock.AcquiredAt), nameof(Lock.ExpiresAt), nameof(Lock.LockId)];

    public static Command Create(CliContext context) => new("lock", "Named locks shared by AiSwitch sessions and processes.")
    {
        RunVerb(context),
        ListVerb(context),
        CleanVerb(context),
    };

    private static Command RunVerb(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "The lock name: 1-100 letters, digits, '-', '_' or '.'." };
        var commandLine = new Argument<string[]>("COMMAND") { Arity = ArgumentArity.OneOrMore, Description = "The command to run and its arguments, after '--'." };
        var shared = new Option<bool>("--shared") { Description = "Take a shared lock: other shared holders may run at once; exclusive ones wait." };
        var timeout = new Option<double?>("--timeout")
        {
            Description = "Seconds to wait for the lock; 0 tries once (default: lock_timeout_seconds in config/coordination.yaml, else 30). A timeout exits with code 8 (LockTimeout).",
        };
        var expiry = new Option<double?>("--expiry") { Description = "Seconds you expect to hold it; past that 'lock list' shows it as expired." };
        var run = new Command("run", "Hold a lock while a command runs; the command's exit code is passed through.")
        {
            name, commandLine, shared, timeout, expiry,
        };
        run.SetAction(parse =>
        {
            var request = new AcquireLockRequest(parse.GetValue(name)!)
            {
                Mode = parse.GetValue(shared) ? LockMode.Shared : LockMode.Exclusive,
                Timeout = parse.GetValue(timeout) is { } wait ? Seconds(wait, "--timeout") : null,
                Expiry = parse.GetValue(expiry) is { } seconds ? Seconds(seconds, "--expiry") : null,
            };
            var command = parse.GetValue(commandLine)!;
            var locks = context.Session.Locks;
            return PipelineBridge.Run(context.Sink(), (_, cancellationToken) => locks.RunAsync(request, command[0], command[1..], cancellationToken), context.Cancellation);
        });
        return run;
    }

    private static Command ListVerb(CliContext context)
    {
        var pattern = PatternArgument();
        var format = OutputRenderer.FormatOption();
        var list = new Command("list", "List every holder of every lock (all sessions and processes) with its state: Held, Stale or Expired.") { pattern, format };
        list.SetAction(parse =>
        {
            var sink = context.Sink();
            var locks = context.Session.Locks;
            var listed = PipelineBridge.Run(sink, (operation, _) => Task.FromResult(locks.List(parse.GetValue(pattern), operation)), context.Cancellation);
            Render(context, listed, parse.GetValue(format));
            return sink.ExitCode;
        });
        return list;
    }

    private static Command CleanVerb(CliContext context)
    {
        var pattern = PatternArgument();
        var format = OutputRenderer.FormatOption();
        var clean = new Command("clean", "Remove owner records whose holder is gone or whose lock is no longer held; prints what was removed.") { pattern, format };
        clean.SetAction(parse =>
        {
            var sink = context.Sink();
            var locks = context.Session.Locks;
            var removed = PipelineBridge.Run(sink, (operation, cancellationToken) => locks.ClearStaleAsync(parse.GetValue(pattern), operation, cancellationToken), context.Cancellation);
            Render(context, removed, parse.GetValue(format));
            return sink.ExitCode;
        });
        return clean;
    }

    private static Argument<string?> PatternArgument() => new("PATTERN")
    {
        Arity = ArgumentArity.ZeroOrOne,
        Description = "Only locks whose name matches (wildcards * ? [..] allowed).",
    };

    private static void Render(CliContext context, IReadOnlyList<Lock> locks, OutputFormat format)
        => OutputRenderer.Write(context.Output, locks, format, format == OutputFormat.Table ? TableColumns : null);

    private static TimeSpan Seconds(double seconds, string option)
    {
        if (double.IsNaN(seconds) || seconds < 0 || seconds > 2_000_000_000)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                $"{option} {seconds.ToString(CultureInfo.InvariantCulture)} is not a number of seconds between 0 and 2000000000.", option);
        }

        return TimeSpan.FromSeconds(seconds);
    }
}
