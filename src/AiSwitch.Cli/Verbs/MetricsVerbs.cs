using System.CommandLine;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Metrics;
using AiSwitch.Protocol;
using AiSwitch.Core.Usage;

namespace AiSwitch.Cli;

/// <summary><c>aiswitch metrics show|export|serve</c> (docs/cli/metrics.md): the twins of Get-AiAgentMetrics and Export-AiMetrics, and a /metrics endpoint.</summary>
internal static class MetricsVerbs
{
    private static readonly string[] SystemColumns = ["Timestamp", "CpuPercent", "MemoryUsedMb", "MemoryTotalMb", "Load1", "Load5", "Load15", "Processors"];

    private static readonly string[] ShowColumns = ["Agent", "Source", "Timestamp", "Status", "CpuPercent", "MemoryMb", "Threads", "ResponseTimeMs", "ErrorCount", "TaskCount", "UptimeSeconds", "Samples"];

    public static Command Create(CliContext context) => new("metrics", "Per-agent metrics: history, export, and a Prometheus endpoint.")
    {
        Show(context),
        Export(context),
        Serve(context),
    };

    private static Command Show(CliContext context)
    {
        var agent = new Option<string[]>("--agent") { Description = "Only these agents.", AllowMultipleArgumentsPerToken = true };
        var timeframe = new Option<UsageTimeframe>("--timeframe") { Description = "hour, day (default), week or month: the current one, in local time.", DefaultValueFactory = _ => UsageTimeframe.Day };
        var aggregation = new Option<MetricAggregation?>("--aggregation") { Description = "avg, max, min or sum per interval; raw samples when left out." };
        var interval = new Option<double?>("--interval") { Description = "Interval in seconds for the aggregation (default: the whole timeframe)." };
        var format = new Option<OutputFormat>("--output-format") { Description = "table (default), json or csv.", DefaultValueFactory = _ => OutputFormat.Table };
        var system = new Option<bool>("--system") { Description = "The host's samples (CPU, memory, load) instead of the agents'." };
        var command = new Command("show", "Recorded samples of the agents, raw or aggregated; or of the host with --system.") { agent, timeframe, aggregation, interval, format, system };
        command.SetAction(parse =>
        {
            var (start, end) = context.Session.Usage.Window(parse.GetValue(timeframe), TimeZoneInfo.Local);
            var query = new MetricsQuery
            {
                Agent = TokensVerbs.Split(parse.GetValue(agent)),
                Start = start,
                End = end,
                Aggregation = parse.GetValue(aggregation),
                Interval = parse.GetValue(interval) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            };
            var sink = context.Sink();
            var table = parse.GetValue(format) == OutputFormat.Table;
            if (parse.GetValue(system))
            {
                var host = PipelineBridge.Run(sink, (operation, _) => Task.FromResult(context.Session.Metrics.QuerySystem(query, operation)), context.Cancellation);
                OutputRenderer.Write(context.Output, host, parse.GetValue(format), table ? SystemColumns : null);
                return sink.ExitCode;
            }

            var rows = PipelineBridge.Run(sink, (operation, _) => Task.FromResult(context.Session.Metrics.Query(query, operation)), context.Cancellation);
            OutputRenderer.Write(context.Output, rows, parse.GetValue(format), table ? ShowColumns : null);
            return sink.ExitCode;
        });
        return command;
    }

    private static Command Export(CliContext context)
    {
        var format = new Option<MetricsFormat>("--format") { Description = "prometheus (default), csv or json.", DefaultValueFactory = _ => MetricsFormat.Prometheus };
        var output = new Option<string?>("--output") { Description = "Write to this file instead of standard output." };
        var command = new Command("export", "Prometheus text, or the recorded samples as CSV or JSON.") { format, output };
        command.SetAction(parse =>
        {
            var sink = context.Sink();
            var metrics = context.Session.Metrics;
            if (parse.GetValue(output) is { } file)
            {
                PipelineBridge.Run(sink, (operation, _) => Task.FromResult(metrics.ExportToFile(parse.GetValue(format), file, null, operation)), context.Cancellation);
            }
            else
            {
                context.Output.Write(PipelineBridge.Run(sink, (operation, _) => Task.FromResult(metrics.Export(parse.GetValue(format), null, operation)), context.Cancellation));
            }

            return sink.ExitCode;
        });
        return command;
    }

    private static Command Serve(CliContext context)
    {
        var port = new Option<int>("--port") { Description = "The port on 127.0.0.1 (default 9464).", DefaultValueFactory = _ => 9464 };
        var command = new Command("serve", "Serve /metrics (Prometheus text) on 127.0.0.1 until Ctrl+C.") { port };
        command.SetAction(parse =>
        {
            var sink = context.Sink();
            var exporter = context.Session.Metrics;
            try
            {
                PipelineBridge.Run(sink, (operation, ct) => exporter.ServeAsync(parse.GetValue(port),
                    url => context.Error.WriteLine($"aiswitch: serving {url} (Ctrl+C to stop)"), operation, ct), context.Cancellation);
            }
            catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
            {
                return 0; // Ctrl+C is how it stops
            }

            return sink.ExitCode;
        });
        return command;
    }
}
