using AiSwitch.Core.Metrics;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Agents;

/// <summary>
/// What a JSON-RPC agent may ask of the coordinator beyond locks and heartbeats, answered from the session's doors:
/// metrics.query (the Metrics door), tokens.summary (the Usage door), metrics.report (stored with the session's own
/// samples, marked as the agent's) and event.subscribe (the session's <see cref="CoordinatorEvents"/>).
/// </summary>
internal sealed class CoordinatorServices
{
    private readonly AiSession _session;

    private CoordinatorServices(AiSession session) => _session = session;

    public static CoordinatorServices For(AiSession session) => session.GetService(s => new CoordinatorServices(s));

    public CoordinatorEvents Events => CoordinatorEvents.For(_session);

    public QueryMetricsResult QueryMetrics(QueryMetricsParams parameters) => _session.Metrics.Query(parameters);

    public TokenSummaryResult TokenSummary(TokenSummaryParams parameters) => _session.Usage.SummaryResult(parameters);

    /// <summary>
    /// Stores a metrics.report beside the sampler's samples, under the agent's registered name (never the id it claims,
    /// so one agent cannot write another's figures) and marked <see cref="MetricsSources.Agent"/>.
    /// </summary>
    public AgentMetricsSample Record(string agent, int? pid, AgentMetrics reported)
    {
        var sample = reported.ToSample(agent, pid, MetricsSources.Agent);
        MetricsStore.For(_session).Append([sample]);
        return sample;
    }
}
