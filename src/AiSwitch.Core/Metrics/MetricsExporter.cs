using System.Globalization;
using System.Text;
using System.Text.Json;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Usage;

namespace AiSwitch.Core.Metrics;

/// <summary>
/// Exports metrics: Prometheus text (each agent's latest sample as gauges, plus token, cost and request counters from
/// the ledger), or the samples a query returns as CSV or JSON. The ledger totals are cached per day file by length, so
/// a scrape reads only what was appended since the last one.
/// </summary>
internal sealed class MetricsExporter
{
    /// <summary>Samples older than this are not exported as current gauges.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromMinutes(5);

    private readonly MetricsStore _store;
    private readonly TokenLedger _ledger;
    private readonly object _gate = new();
    private readonly Dictionary<string, FileTotals> _files = new(StringComparer.Ordinal);
    private readonly StringTable _strings = new();

    public MetricsExporter(MetricsStore store, TokenLedger ledger)
    {
        _store = store;
        _ledger = ledger;
    }

    public static MetricsExporter For(AiSession session)
        => session.GetService(s => new MetricsExporter(MetricsStore.For(s), TokenLedger.For(s)));

    public string Export(MetricsFormat format, MetricsQuery? query = null, IOperationContext? context = null) => format switch
    {
        MetricsFormat.Prometheus => Prometheus(context),
        MetricsFormat.Csv => Csv(_store.Query(query ?? new MetricsQuery(), context)),
        _ => JsonSerializer.Serialize(_store.Query(query ?? new MetricsQuery(), context).ToList(), MetricsJsonContext.Default.ListAgentMetricsSample),
    };

    public string Prometheus(IOperationContext? context = null)
    {
        var latest = _store.Latest(Freshness);
        var usage = LedgerTotals(context);
        var text = new PrometheusText();
        Gauge(text, "aiswitch_agent_cpu_percent", "CPU use of the agent's process, percent of one core.", latest, s => s.CpuPercent);
        Gauge(text, "aiswitch_agent_memory_bytes", "Resident memory of the agent's process.", latest, s => s.MemoryMb * 1048576.0);
        Gauge(text, "aiswitch_agent_threads", "Threads of the agent's process.", latest, s => s.Threads);
        Gauge(text, "aiswitch_agent_response_time_seconds", "Average response time of the agent's tasks.", latest, s => s.ResponseTimeMs / 1000.0);
        Gauge(text, "aiswitch_agent_first_token_seconds", "Average time to the first output of the agent's tasks.", latest, s => s.FirstTokenMs / 1000.0);
        Gauge(text, "aiswitch_agent_disk_io_bytes", "Bytes the agent's process tree read from and wrote to storage since it started.", latest, s => s.DiskIoKb * 1024.0);
        Gauge(text, "aiswitch_agent_uptime_seconds", "Time since the agent started.", latest, s => s.UptimeSeconds);
        Counter(text, "aiswitch_agent_errors_total", "Failed tasks of the agent since it started.", latest, s => s.ErrorCount);
        Counter(text, "aiswitch_agent_tasks_total", "Tasks the agent has run since it started.", latest, s => s.TaskCount);

        var keys = usage.Keys.OrderBy(k => k.Agent, StringComparer.Ordinal).ThenBy(k => k.Model, StringComparer.Ordinal).ToList();
        text.Family("aiswitch_tokens_total", "counter", "Tokens recorded in the ledger, by agent, model and kind (input includes cache reads and writes).",
            keys.SelectMany(k => new (string Kind, long Value)[]
                {
                    ("input", usage[k].Input), ("output", usage[k].Output), ("cache_read", usage[k].CacheRead), ("cache_write", usage[k].CacheWrite),
                }
                .Select(kind => (Labels(k, ("kind", kind.Kind)), (double)kind.Value))));
        text.Family("aiswitch_cost_usd_total", "counter", "Known cost in US dollars recorded in the ledger (unpriced requests add nothing).",
            keys.Select(k => (Labels(k), (double)(usage[k].Cost ?? 0m))));
        text.Family("aiswitch_requests_total", "counter", "Requests recorded in the ledger.",
            keys.Select(k => (Labels(k), (double)usage[k].Requests)));
        text.Family("aiswitch_unpriced_requests_total", "counter", "Requests recorded with no cost (model missing from the pricing table).",
            keys.Select(k => (Labels(k), (double)usage[k].Unpriced)));
        return text.ToString();
    }

    private static IReadOnlyList<(string, string)> Labels((string Agent, string Model) key, params (string, string)[] more)
        => [("agent", key.Agent), ("model", key.Model), .. more];

    private static void Gauge(PrometheusText text, string name, string help, IReadOnlyList<AgentMetricsSample> latest, Func<AgentMetricsSample, double> value)
        => text.Family(name, "gauge", help, latest.Select(s => ((IReadOnlyList<(string, string)>)[("agent", s.Agent)], value(s))));

    private static void Counter(PrometheusText text, string name, string help, IReadOnlyList<AgentMetricsSample> latest, Func<AgentMetricsSample, double> value)
        => text.Family(name, "counter", help, latest.Select(s => ((IReadOnlyList<(string, string)>)[("agent", s.Agent)], value(s))));

    private Dictionary<(string Agent, string Model), UsageTotals> LedgerTotals(IOperationContext? context)
    {
        lock (_gate)
        {
            foreach (var path in _ledger.Files())
            {
                var length = new FileInfo(path).Length;
                if (!_files.TryGetValue(path, out var file) || length < file.Offset)
                {
                    _files[path] = file = new FileTotals();
                }

                if (length > file.Offset)
                {
                    file.Offset = TokenLedger.ScanFile(path, file.Offset, _strings, withIds: false, record =>
                    {
                        var key = (record.Agent, record.Model ?? "");
                        if (!file.ByKey.TryGetValue(key, out var totals))
                        {
                            file.ByKey[key] = totals = new UsageTotals();
                        }

                        totals.Add(record);
                    }, context).EndOffset;
                }
            }

            var all = new Dictionary<(string, string), UsageTotals>();
            foreach (var file in _files.Values)
            {
                foreach (var (key, totals) in file.ByKey)
                {
                    if (!all.TryGetValue(key, out var sum))
                    {
                        all[key] = sum = new UsageTotals();
                    }

                    sum.Merge(totals);
                }
            }

            return all;
        }
    }

    private static string Csv(IReadOnlyList<AgentMetricsSample> samples)
    {
        var text = new StringBuilder("agent,timestamp,status,pid,cpu_percent,memory_mb,threads,disk_io_kb,network_io_kb,response_time_ms,first_token_ms,error_count,task_count,uptime_seconds,samples\n");
        foreach (var s in samples)
        {
            text.AppendJoin(',', Field(s.Agent), s.Timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                    s.Status.ToString().ToLowerInvariant(), s.Pid?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                    N(s.CpuPercent), N(s.MemoryMb), N(s.Threads), N(s.DiskIoKb), s.NetworkIoKb is { } network ? N(network) : string.Empty, N(s.ResponseTimeMs), N(s.FirstTokenMs),
                    s.ErrorCount.ToString(CultureInfo.InvariantCulture), s.TaskCount.ToString(CultureInfo.InvariantCulture), N(s.UptimeSeconds),
                    s.Samples.ToString(CultureInfo.InvariantCulture))
                .Append('\n');
        }

        return text.ToString();

        static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);
        static string Field(string value) => value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private sealed class FileTotals
    {
        public long Offset { get; set; }

        public Dictionary<(string Agent, string Model), UsageTotals> ByKey { get; } = [];
    }
}
