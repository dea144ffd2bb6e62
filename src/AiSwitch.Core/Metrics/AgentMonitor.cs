using System.Globalization;
using System.Text;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Usage;

namespace AiSwitch.Core.Metrics;

/// <summary>
/// <c>Watch-AiAgent</c> / <c>aiswitch monitor --real-time</c>: a view of the agents (latest samples), today's tokens and
/// cost (read incrementally from the ledger) and quota states, redrawn in place. A frame overwrites the previous one
/// line by line (cursor home, each line then "erase to end of line", then "erase below"), never clearing the screen
/// first, so it does not flicker.
/// </summary>
internal sealed class AgentMonitor
{
    public const string EnterScreen = "\u001b[?1049h\u001b[?25l";
    public const string LeaveScreen = "\u001b[?25h\u001b[?1049l";

    /// <summary>A sample older than this shows its age beside the row: the figures are not live.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(15);

    private readonly MetricsStore _store;
    private readonly QuotaGuard _quotas;
    private readonly TimeProvider _clock;
    private readonly Func<IReadOnlyDictionary<string, AgentNow>> _liveStatus;
    private readonly Func<SystemMetricsSample?> _host;

    /// <summary>
    /// Today's usage comes from <paramref name="quotas"/>' own incremental reading of the ledger, so a frame reads new
    /// bytes once. <paramref name="liveStatus"/> gives each agent's status now, in any session (the agents area, wired
    /// by the metrics door): a sample can be minutes old, an agent stopped since.
    /// </summary>
    public AgentMonitor(MetricsStore store, QuotaGuard quotas, TimeProvider? clock = null, Func<IReadOnlyDictionary<string, AgentNow>>? liveStatus = null,
        Func<SystemMetricsSample?>? host = null)
    {
        _host = host ?? (() => null);
        _store = store;
        _clock = clock ?? TimeProvider.System;
        _quotas = quotas;
        _liveStatus = liveStatus ?? (() => new Dictionary<string, AgentNow>());
    }

    public static AgentMonitor For(AiSession session, Func<IReadOnlyDictionary<string, AgentNow>> liveStatus)
        => new(MetricsStore.For(session), QuotaGuard.For(session), session.Clock, liveStatus, SystemSampler.For(session).Sample);

    /// <summary>The rows now: every agent that is not stopped, or has a recent sample, usage today or a quota.</summary>
    public IReadOnlyList<MonitorRow> Snapshot(IReadOnlyList<string>? agents = null, IOperationContext? context = null)
    {
        var now = _clock.GetUtcNow();
        var live = _liveStatus();
        var samples = _store.Latest(MetricsExporter.Freshness).ToDictionary(s => s.Agent, StringComparer.OrdinalIgnoreCase);
        var (_, usage) = _quotas.UsageToday(context);
        var quotas = _quotas.Get(null, context).ToDictionary(q => q.Agent, StringComparer.OrdinalIgnoreCase);
        var names = samples.Keys.Concat(usage.Keys).Concat(quotas.Keys.Where(k => k != TokenQuota.AllAgents))
            .Concat(live.Where(a => a.Value.Status != AgentStatus.Stopped).Select(a => a.Key))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(n => agents is not { Count: > 0 } || agents.Contains(n, StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.OrdinalIgnoreCase);
        return [.. names.Select(name =>
        {
            samples.TryGetValue(name, out var sample);
            var used = usage.GetValueOrDefault(name);
            var status = live.TryGetValue(name, out var current) ? current.Status : sample?.Status;
            return new MonitorRow
            {
                Agent = name,
                Status = status?.ToString().ToLowerInvariant() ?? "-",
                Progress = current.Progress,
                SampleAgeSeconds = sample is null ? null : Math.Round(Math.Max(0, (now - sample.Timestamp).TotalSeconds), 1),
                CpuPercent = sample?.CpuPercent,
                MemoryMb = sample?.MemoryMb,
                TaskCount = sample?.TaskCount,
                ErrorCount = sample?.ErrorCount,
                UptimeSeconds = sample?.UptimeSeconds,
                TokensToday = used.Tokens,
                CostToday = used.Cost,
                Quota = quotas.TryGetValue(name, out var quota) ? quota.State.ToString() : "-",
            };
        })];
    }

    /// <summary>The host now, for a frame's header (read live: CPU is the share since the previous frame).</summary>
    public SystemMetricsSample? Host() => _host();

    /// <summary>One frame: a header (with the host's CPU, memory and load), the rows and the overall quota, each line cut to <paramref name="width"/>.</summary>
    public string Frame(IReadOnlyList<MonitorRow> rows, int width, DateTimeOffset now, SystemMetricsSample? host = null)
    {
        var lines = new List<string>
        {
            $"AiSwitch monitor  {now.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}  (Ctrl+C to stop)",
            HostLine(host),
            string.Empty,
            Row("AGENT", "STATUS", "CPU %", "MEM MB", "TASKS", "ERRORS", "UPTIME", "TOKENS TODAY", "COST TODAY", "QUOTA", "SAMPLED"),
        };
        lines.AddRange(rows.Select(r => Row(
            r.Agent, r.Progress is { } done ? $"{r.Status} {done.ToString("0", CultureInfo.InvariantCulture)}%" : r.Status, N(r.CpuPercent, "0.0"), N(r.MemoryMb, "0"), r.TaskCount?.ToString(CultureInfo.InvariantCulture) ?? "-",
            r.ErrorCount?.ToString(CultureInfo.InvariantCulture) ?? "-", r.UptimeSeconds is { } up ? TimeSpan.FromSeconds(up).ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture) : "-",
            r.TokensToday.ToString("N0", CultureInfo.InvariantCulture), r.CostToday is { } c ? "$" + c.ToString("0.0000", CultureInfo.InvariantCulture) : "-", r.Quota,
            Age(r.SampleAgeSeconds))));
        if (rows.Count == 0)
        {
            lines.Add("(no agents sampled, no usage today)");
        }

        lines.Add(string.Empty);
        lines.Add($"Total today: {rows.Sum(r => r.TokensToday).ToString("N0", CultureInfo.InvariantCulture)} tokens, ${rows.Sum(r => r.CostToday ?? 0m).ToString("0.0000", CultureInfo.InvariantCulture)}");
        var text = new StringBuilder("\u001b[H");
        foreach (var line in lines)
        {
            text.Append(line.Length > width ? line[..width] : line).Append("\u001b[K\n");
        }

        return text.Append("\u001b[J").ToString();

        static string N(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";
    }

    /// <summary>"Host: CPU 23.5 %  memory 5,321 / 23,456 MB  load 1.20 0.90 0.80  2 cores"; a dash for what the OS does not say.</summary>
    internal static string HostLine(SystemMetricsSample? host)
    {
        if (host is null)
        {
            return "Host: -";
        }

        var cpu = host.CpuPercent?.ToString("0.0", CultureInfo.InvariantCulture) + " %";
        var used = host.MemoryUsedMb?.ToString("N0", CultureInfo.InvariantCulture) ?? "-";
        var load = host.Load1 is { } one
            ? "  load " + string.Join(' ', new[] { one, host.Load5 ?? 0, host.Load15 ?? 0 }.Select(l => l.ToString("0.00", CultureInfo.InvariantCulture)))
            : string.Empty;
        return $"Host: CPU {(host.CpuPercent is null ? "-" : cpu)}  memory {used} / {host.MemoryTotalMb.ToString("N0", CultureInfo.InvariantCulture)} MB{load}  {host.Processors} cores";
    }

    /// <summary>"3m ago" for a sample older than <see cref="StaleAfter"/>; nothing for a fresh one.</summary>
    private static string Age(double? seconds) => seconds switch
    {
        null => string.Empty,
        var s when s < StaleAfter.TotalSeconds => string.Empty,
        < 60 => $"{seconds:0}s ago",
        < 3600 => $"{Math.Floor(seconds.Value / 60):0}m ago",
        _ => $"{Math.Floor(seconds.Value / 3600):0}h ago",
    };

    /// <summary>Draws a frame every <paramref name="interval"/> until cancelled.</summary>
    public async Task RunAsync(Action<string> draw, Func<int> width, TimeSpan interval, IReadOnlyList<string>? agents, IOperationContext? context, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, _clock);
        do
        {
            draw(Frame(Snapshot(agents, context), Math.Max(40, width()), _clock.GetUtcNow(), _host()));
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    private static string Row(params string[] cells)
    {
        int[] widths = [16, 12, 6, 7, 6, 6, 11, 14, 11, 8, 8];
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = cells[i].Length > widths[i] ? cells[i][..widths[i]] : cells[i];
            line.Append(i is 0 or 1 or 9 or 10 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i])).Append(i < cells.Length - 1 ? " " : string.Empty);
        }

        return line.ToString().TrimEnd();
    }
}

/// <summary>An agent as the monitor shows it now, from any session: its status and its running task's reported progress.</summary>
internal readonly record struct AgentNow(AgentStatus Status, double? Progress = null);
