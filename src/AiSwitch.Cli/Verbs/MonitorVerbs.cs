using System.CommandLine;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Metrics;

namespace AiSwitch.Cli;

/// <summary><c>aiswitch monitor [--real-time] [--interval S] [--agent A]</c> (docs/cli/metrics.md): Watch-AiAgent's twin.</summary>
internal static class MonitorVerbs
{
    public static Command Create(CliContext context)
    {
        var realTime = new Option<bool>("--real-time") { Description = "Redraw in place every --interval seconds until Ctrl+C (otherwise print once)." };
        var interval = new Option<double>("--interval") { Description = "Seconds between frames (default 2).", DefaultValueFactory = _ => 2 };
        var agent = new Option<string[]>("--agent") { Description = "Only these agents.", AllowMultipleArgumentsPerToken = true };
        var format = new Option<OutputFormat>("--output-format") { Description = "table (default), json or csv; without --real-time.", DefaultValueFactory = _ => OutputFormat.Table };
        var command = new Command("monitor", "Agents, today's tokens and cost, and quota states; live with --real-time.") { realTime, interval, agent, format };
        command.SetAction(parse =>
        {
            var monitor = context.Session.Metrics;
            var agents = TokensVerbs.Split(parse.GetValue(agent));
            var sink = context.Sink();
            if (!parse.GetValue(realTime))
            {
                var rows = PipelineBridge.Run(sink, (operation, _) => Task.FromResult(monitor.Monitor(agents, operation)), context.Cancellation);
                OutputRenderer.Write(context.Output, rows, parse.GetValue(format));
                return sink.ExitCode;
            }

            var seconds = parse.GetValue(interval);
            if (double.IsNaN(seconds) || seconds < 0.1 || seconds > 3600)
            {
                throw new AiSwitchException(ErrorId.InvalidArgument, $"--interval {seconds} is not between 0.1 and 3600 seconds.", "--interval");
            }

            context.Output.Write(MetricsDoor.EnterScreen);
            try
            {
                PipelineBridge.Run(sink, (operation, ct) => monitor.RunMonitorAsync(
                    frame => { context.Output.Write(frame); context.Output.Flush(); },
                    () => Console.IsOutputRedirected ? 120 : Console.WindowWidth,
                    TimeSpan.FromSeconds(seconds), agents, operation, ct), context.Cancellation);
            }
            catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
            {
                // Ctrl+C is how it stops.
            }
            finally
            {
                context.Output.Write(MetricsDoor.LeaveScreen);
                context.Output.Flush();
            }

            return sink.ExitCode;
        });
        return command;
    }
}
