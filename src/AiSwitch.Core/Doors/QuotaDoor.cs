using AiSwitch.Core.Hosting;
using AiSwitch.Core.Usage;

namespace AiSwitch.Core;

/// <summary>The quotas door: daily token and cost limits per agent and overall, and the alerts they and the agents raise.</summary>
public sealed class QuotaDoor
{
    private readonly AiSession _session;

    internal QuotaDoor(AiSession session) => _session = session;

    /// <summary>Raised (on any thread) when an alert condition of this session is raised or recovers.</summary>
    public event EventHandler<AlertNotice>? Alerted
    {
        add => AlertEngine.For(_session).Alerted += value;
        remove => AlertEngine.For(_session).Alerted -= value;
    }

    /// <summary>Sets (or creates) a quota; limits left null keep their value. Returns it with today's usage.</summary>
    public TokenQuota Set(SetQuotaRequest request, IOperationContext? context = null) => Guard.Set(request, context);

    /// <summary>The quotas whose agent matches one of <paramref name="patterns"/> (all when null), with today's use.</summary>
    public IReadOnlyList<TokenQuota> Get(IReadOnlyList<string>? patterns = null, IOperationContext? context = null) => Guard.Get(patterns, context);

    public TokenQuota Remove(string agent, IOperationContext? context = null) => Guard.Remove(agent, context);

    private QuotaGuard Guard => QuotaGuard.For(_session);
}
