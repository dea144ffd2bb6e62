using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AiSwitch.Core.Home;
using AiSwitch.Core.Hosting;
using AiSwitch.Protocol;
using AiSwitch.Core.Usage;

namespace AiSwitch.Core.Metrics;

/// <summary>
/// Per-agent metric samples in <c>state/metrics/YYYY-MM-DD.jsonl</c> (UTC days), appended in batches with the ledger's
/// untearable appends, kept <see cref="DefaultRetention"/> (14 days) by default, queried with aggregation per interval.
/// Host samples (<see cref="SystemMetricsSample"/>) are kept the same way in <c>state/metrics/system/</c>.
/// </summary>
internal sealed class MetricsStore
{
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(14);

    private readonly TimeProvider _clock;

    public MetricsStore(AiHome home, TimeProvider? clock = null)
    {
        Directory = Path.Combine(home.StateDir, "metrics");
        SystemDirectory = Path.Combine(Directory, "system");
        _clock = clock ?? TimeProvider.System;
    }

    public static MetricsStore For(AiSession session) => session.GetService(s => new MetricsStore(s.Home, s.Clock));

    public string Directory { get; }

    public string SystemDirectory { get; }

    /// <summary>Appends a batch: one write per day file.</summary>
    public void Append(IReadOnlyCollection<AgentMetricsSample> samples)
        => Append(Directory, samples, s => s.Timestamp, MetricsJsonContext.Default.AgentMetricsSample);

    /// <summary>Appends host samples: one write per day file.</summary>
    public void AppendSystem(IReadOnlyCollection<SystemMetricsSample> samples)
        => Append(SystemDirectory, samples, s => s.Timestamp, MetricsJsonContext.Default.SystemMetricsSample);

    /// <summary>Host samples in the window, oldest first.</summary>
    public IReadOnlyList<SystemMetricsSample> QuerySystem(DateTimeOffset? start, DateTimeOffset? end, IOperationContext? context = null)
    {
        CheckWindow(start, end);
        var samples = new List<SystemMetricsSample>();
        Read(SystemDirectory, start, end, MetricsJsonContext.Default.SystemMetricsSample, s => s.Timestamp, samples.Add, context);
        samples.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        return samples;
    }

    private static void Append<T>(string directory, IReadOnlyCollection<T> samples, Func<T, DateTimeOffset> time, JsonTypeInfo<T> type)
    {
        foreach (var day in samples.GroupBy(s => DayFiles.PathFor(directory, time(s))))
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(256 * samples.Count);
            foreach (var sample in day)
            {
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    JsonSerializer.Serialize(writer, sample, type);
                }

                buffer.GetSpan(1)[0] = (byte)'\n';
                buffer.Advance(1);
            }

            AppendOnlyFile.Append(day.Key, buffer.WrittenSpan);
        }
    }

    /// <summary>Deletes day files older than <paramref name="retention"/>; returns how many.</summary>
    public int Prune(TimeSpan? retention = null)
    {
        var cutoff = (_clock.GetUtcNow() - (retention ?? DefaultRetention)).UtcDateTime.Date;
        var removed = 0;
        foreach (var (path, day) in Files().Concat(DayFiles.In(SystemDirectory)))
        {
            if (day < cutoff)
            {
                File.Delete(path);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Raw samples, or aggregated rows (one per agent and interval), oldest first.</summary>
    public IReadOnlyList<AgentMetricsSample> Query(MetricsQuery query, IOperationContext? context = null)
    {
        CheckWindow(query.Start, query.End);

        if (query.Interval is { } i && i <= TimeSpan.Zero)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument, $"Interval {i} is not positive. Give a number of seconds, e.g. 300.");
        }

        var agents = query.Agent is { Count: > 0 } names ? new HashSet<string>(names, StringComparer.OrdinalIgnoreCase) : null;
        var samples = new List<AgentMetricsSample>();
        Read(query.Start, query.End, sample =>
        {
            if (agents is null || agents.Contains(sample.Agent))
            {
                samples.Add(sample);
            }
        }, context);
        samples.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        if (query.Aggregation is null && query.Interval is null)
        {
            return samples;
        }

        return MetricsAggregation.Aggregate(samples, query.Aggregation ?? MetricAggregation.Avg, query.Interval, query.Start);
    }

    /// <summary>seed 003 metrics.query.</summary>
    public QueryMetricsResult Query(QueryMetricsParams parameters, IOperationContext? context = null)
    {
        var rows = Query(new MetricsQuery
        {
            Agent = parameters.AgentId is null ? null : [parameters.AgentId],
            Start = parameters.StartTime,
            End = parameters.EndTime,
            Aggregation = parameters.Aggregation,
            Interval = parameters.Interval is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        }, context);
        return new QueryMetricsResult
        {
            Metrics = [.. rows.Select(r => r.ToProtocol())],
            Aggregated = parameters.Aggregation is { } aggregation && rows.Count > 0
                ? MetricsAggregation.Overall(rows, aggregation, parameters.MetricTypes)
                : null,
            TotalCount = rows.Count,
        };
    }

    /// <summary>
    /// The newest sample of each agent within <paramref name="within"/> of now: the sampler's own when it has one, the
    /// agent's metrics.report otherwise, so the monitor's and Prometheus' figures (counters too) never flip between the two.
    /// </summary>
    public IReadOnlyList<AgentMetricsSample> Latest(TimeSpan within)
    {
        var since = _clock.GetUtcNow() - within;
        var latest = new Dictionary<string, AgentMetricsSample>(StringComparer.OrdinalIgnoreCase);
        Read(since, null, sample =>
        {
            if (!latest.TryGetValue(sample.Agent, out var known) || Rank(known) < Rank(sample) || (Rank(known) == Rank(sample) && known.Timestamp <= sample.Timestamp))
            {
                latest[sample.Agent] = sample;
            }
        }, null);
        return [.. latest.Values.OrderBy(s => s.Agent, StringComparer.OrdinalIgnoreCase)];

        static int Rank(AgentMetricsSample sample) => sample.Source == MetricsSources.Coordinator ? 1 : 0;
    }

    public string PathFor(DateTimeOffset time) => DayFiles.PathFor(Directory, time);

    private static void CheckWindow(DateTimeOffset? start, DateTimeOffset? end)
    {
        if (start is { } s && end is { } e && s >= e)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                $"The metrics window is empty: Start {s.ToString("u", CultureInfo.InvariantCulture)} is not before End {e.ToString("u", CultureInfo.InvariantCulture)}.");
        }
    }

    private void Read(DateTimeOffset? start, DateTimeOffset? end, Action<AgentMetricsSample> visit, IOperationContext? context)
        => Read(Directory, start, end, MetricsJsonContext.Default.AgentMetricsSample, s => s.Timestamp, visit, context);

    private static void Read<T>(string directory, DateTimeOffset? start, DateTimeOffset? end, JsonTypeInfo<T> type, Func<T, DateTimeOffset> time,
        Action<T> visit, IOperationContext? context) where T : class
    {
        foreach (var (path, day) in DayFiles.In(directory))
        {
            if ((start is not null && day < start.Value.UtcDateTime.Date) || (end is not null && day > end.Value.UtcDateTime.Date))
            {
                continue;
            }

            var bad = 0;
            JsonLinesReader.Scan(path, 0, (line, _) =>
            {
                T? sample = null;
                try
                {
                    sample = JsonSerializer.Deserialize(line, type);
                }
                catch (JsonException)
                {
                }

                if (sample is null)
                {
                    bad++;
                }
                else if ((start is null || time(sample) >= start) && (end is null || time(sample) < end))
                {
                    visit(sample);
                }
            });
            if (bad > 0)
            {
                context?.WriteWarning($"Metrics file '{path}' has {bad} unreadable line(s) (torn by a killed writer, or edited by hand); they were skipped.");
            }
        }
    }

    private IEnumerable<(string Path, DateTime Day)> Files() => DayFiles.In(Directory);
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(AgentMetricsSample))]
[JsonSerializable(typeof(List<AgentMetricsSample>))]
[JsonSerializable(typeof(SystemMetricsSample))]
internal sealed partial class MetricsJsonContext : JsonSerializerContext
{
}
