using System.Text;
using AiSwitch.Core.Home;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Metrics;

namespace AiSwitch.Core;

/// <summary>The metrics door: per-agent samples (<c>state/metrics/</c>), their exports, the Prometheus endpoint and the live monitor.</summary>
public sealed class MetricsDoor
{
    private readonly AiSession _session;

    internal MetricsDoor(AiSession session) => _session = session;

    /// <summary>Escape sequences that switch a terminal to and from the monitor's own screen.</summary>
    public const string EnterScreen = AgentMonitor.EnterScreen;

    public const string LeaveScreen = AgentMonitor.LeaveScreen;

    /// <summary>Stored samples, raw or aggregated per interval.</summary>
    public IReadOnlyList<AgentMetricsSample> Query(MetricsQuery query, IOperationContext? context = null) => MetricsStore.For(_session).Query(query, context);

    /// <summary>seed 003 metrics.query, as a JSON-RPC agent asks it: the stored samples in the protocol's shape.</summary>
    public Protocol.QueryMetricsResult Query(Protocol.QueryMetricsParams parameters, IOperationContext? context = null) => MetricsStore.For(_session).Query(parameters, context);

    /// <summary>
    /// Stored host samples (CPU, memory, load) in the query's window. They are raw: a query with agents, an aggregation
    /// or an interval is refused rather than answered with something else.
    /// </summary>
    public IReadOnlyList<SystemMetricsSample> QuerySystem(MetricsQuery query, IOperationContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Agent is { Count: > 0 } || query.Aggregation is not null || query.Interval is not null)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                "Host samples are per host and raw: leave out Agent, Aggregation and Interval with System (give Start and End for the window).");
        }

        return MetricsStore.For(_session).QuerySystem(query.Start, query.End, context);
    }

    /// <summary>Prometheus text, or the samples as CSV or JSON.</summary>
    public string Export(MetricsFormat format, MetricsQuery? query = null, IOperationContext? context = null) => Exporter.Export(format, query, context);

    /// <summary>Writes the export to <paramref name="path"/> whole (a temporary file renamed over it) and returns the file.</summary>
    public FileInfo ExportToFile(MetricsFormat format, string path, MetricsQuery? query = null, IOperationContext? context = null)
    {
        var full = Path.GetFullPath(path);
        AtomicFile.Write(full, Encoding.UTF8.GetBytes(Export(format, query, context)), durable: false);
        return new FileInfo(full);
    }

    /// <summary>Serves <c>/metrics</c> on 127.0.0.1:<paramref name="port"/> until cancelled; <paramref name="started"/> gets the URL.</summary>
    public Task ServeAsync(int port, Action<string>? started, IOperationContext? context, CancellationToken cancellationToken)
        => MetricsServer.RunAsync(Exporter, port, started, context, cancellationToken);

    /// <summary>One row per agent: its latest sample, today's tokens and cost, and its quota state.</summary>
    public IReadOnlyList<MonitorRow> Monitor(IReadOnlyList<string>? agents = null, IOperationContext? context = null) => NewMonitor().Snapshot(agents, context);

    /// <summary>The monitor's screen for <paramref name="rows"/> at <paramref name="width"/> columns.</summary>
    public string MonitorFrame(IReadOnlyList<MonitorRow> rows, int width)
    {
        var monitor = NewMonitor();
        return monitor.Frame(rows, width, _session.Clock.GetUtcNow(), monitor.Host());
    }

    /// <summary>Redraws the monitor every <paramref name="interval"/> until cancelled.</summary>
    public Task RunMonitorAsync(Action<string> draw, Func<int> width, TimeSpan interval, IReadOnlyList<string>? agents, IOperationContext? context, CancellationToken cancellationToken)
        => NewMonitor().RunAsync(draw, width, interval, agents, context, cancellationToken);

    private MetricsExporter Exporter => MetricsExporter.For(_session);

    /// <summary>
    /// The monitor, with each agent's status now from the agents area (any session's). A broken agents.yaml leaves the
    /// statuses to the samples rather than failing every frame; Get-AiAgent reports it.
    /// </summary>
    private AgentMonitor NewMonitor() => AgentMonitor.For(_session, () =>
    {
        try
        {
            return _session.Agents.Get().GroupBy(a => a.Name, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => new AgentNow(g.First().Status, g.First().Progress), StringComparer.OrdinalIgnoreCase);
        }
        catch (AiSwitchException)
        {
            return new Dictionary<string, AgentNow>();
        }
    });
}
