using AiSwitch.Core.Home;
using System.Globalization;
using AiSwitch.Core.Hosting;

namespace AiSwitch.Core.Usage;

/// <summary>
/// Daily token and cost quotas per agent and overall (<c>Set/Get/Remove-AiTokenQuota</c>, <c>aiswitch tokens quota</c>),
/// and the check the task engine makes before it starts work (<see cref="Check"/>, <see cref="EnsureAvailable"/>).
/// Usage comes from the ledger's file for the current UTC day, so every session and process sees the same totals.
/// Crossing a warn threshold or a limit, and recovering, raise an alert exactly once across all sessions.
/// </summary>
internal sealed class QuotaGuard
{
    private readonly QuotaStore _store;
    private readonly DayUsage _usage;
    private readonly AlertEngine _alerts;

    public QuotaGuard(Home.AiHome home, TokenLedger ledger, AlertEngine alerts, TimeProvider? clock = null)
    {
        _store = new QuotaStore(home);
        _usage = new DayUsage(ledger, clock ?? TimeProvider.System);
        _alerts = alerts;
    }

    public static QuotaGuard For(AiSession session)
        => session.GetService(s => new QuotaGuard(s.Home, TokenLedger.For(s), AlertEngine.For(s), s.Clock));

    /// <summary>Sets (or creates) a quota; limits left null keep their value. Returns it with today's usage.</summary>
    public TokenQuota Set(SetQuotaRequest request, IOperationContext? context = null)
    {
        var agent = ValidAgent(request.Agent);
        if (request.DailyTokens is < 0 || request.DailyCostUsd is < 0)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                $"A quota limit for '{agent}' is negative. Give a daily token or cost limit of 0 or more.", agent);
        }

        if (request.WarnAt is { } warn && (double.IsNaN(warn) || warn <= 0 || warn > 1))
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                $"WarnAt {warn.ToString(CultureInfo.InvariantCulture)} for '{agent}' is not a share above 0 and at most 1. Use e.g. 0.8 to warn at 80 %.", agent);
        }

        var limits = _store.Update(all =>
        {
            var existing = all.FirstOrDefault(l => string.Equals(l.Agent, agent, StringComparison.OrdinalIgnoreCase));
            var tokens = request.DailyTokens ?? existing?.DailyTokens;
            var cost = request.DailyCostUsd ?? existing?.DailyCostUsd;
            if (tokens is null && cost is null)
            {
                throw new AiSwitchException(ErrorId.InvalidArgument,
                    $"A quota for '{agent}' needs a limit. Give -DailyTokens, -DailyCostUsd or both.", agent);
            }

            all.RemoveAll(l => string.Equals(l.Agent, agent, StringComparison.OrdinalIgnoreCase));
            all.Add(new QuotaStore.Limits(existing?.Agent ?? agent, tokens, cost, request.WarnAt ?? existing?.WarnAt ?? TokenQuota.DefaultWarnAt));
            return all;
        });
        return Status(limits.First(l => string.Equals(l.Agent, agent, StringComparison.OrdinalIgnoreCase)), context);
    }

    /// <summary>The quotas whose agent matches one of <paramref name="patterns"/> (wildcards), or all.</summary>
    public IReadOnlyList<TokenQuota> Get(IReadOnlyList<string>? patterns = null, IOperationContext? context = null)
    {
        var limits = _store.Read();
        var matchers = patterns is { Count: > 0 } ? patterns.Select(p => new NamePattern(p)).ToList() : null;

        // A name without wildcards that has no quota is reported (non-terminating); a wildcard that matches none is not.
        foreach (var literal in (patterns ?? []).Where(p => !NamePattern.HasWildcards(p) && !limits.Any(l => new NamePattern(p).IsMatch(l.Agent))))
        {
            context?.WriteError(QuotaStore.NotFound(literal, limits));
        }

        return [.. limits.Where(l => matchers is null || matchers.Any(m => m.IsMatch(l.Agent))).Select(l => Status(l, context))];
    }

    /// <summary>Removes one quota; QuotaNotFound when there is none for that agent. Returns what was removed.</summary>
    public TokenQuota Remove(string agent, IOperationContext? context = null)
    {
        agent = ValidAgent(agent);
        QuotaStore.Limits? removed = null;
        _store.Update(all =>
        {
            removed = all.FirstOrDefault(l => string.Equals(l.Agent, agent, StringComparison.OrdinalIgnoreCase))
                ?? throw QuotaStore.NotFound(agent, all);
            all.Remove(removed);
            return all;
        });
        return Status(removed!, context);
    }

    /// <summary>
    /// Where <paramref name="agent"/> stands: the worst of its own quota and the overall one (Ok when neither exists).
    /// A change of state raises its alert (and warning) exactly once across all sessions.
    /// </summary>
    public QuotaCheck Check(string agent, IOperationContext? context = null)
    {
        var relevant = _store.Read()
            .Where(l => l.Agent == TokenQuota.AllAgents || string.Equals(l.Agent, agent, StringComparison.OrdinalIgnoreCase))
            .Select(l => Status(l, context))
            .ToList();
        foreach (var quota in relevant)
        {
            var level = quota.State switch { QuotaState.Exceeded => AlertLevel.Critical, QuotaState.Warn => AlertLevel.Warning, _ => AlertLevel.Ok };
            _alerts.Observe(AlertEngine.QuotaRule, quota.Agent, level, Describe(quota), context);
        }

        var worst = relevant.OrderByDescending(q => q.State).FirstOrDefault();
        return new QuotaCheck(agent, worst?.State ?? QuotaState.Ok, worst, relevant);
    }

    /// <summary>Check, and refuse with QuotaExceeded (-41601) when a quota covering <paramref name="agent"/> is spent.</summary>
    public QuotaCheck EnsureAvailable(string agent, IOperationContext? context = null)
    {
        var check = Check(agent, context);
        if (check.State == QuotaState.Exceeded && check.Limiting is { } spent)
        {
            var whose = spent.Agent == TokenQuota.AllAgents ? "The overall daily quota (all agents)" : $"The daily quota of agent '{spent.Agent}'";
            throw new AiSwitchException(ErrorId.QuotaExceeded,
                $"{whose} is spent: {Describe(spent)}. No new work starts for '{agent}' until the next UTC day. " +
                $"Raise it with Set-AiTokenQuota -Agent '{spent.Agent}' (aiswitch tokens quota set), or remove it with Remove-AiTokenQuota.",
                agent)
            {
                Details = new Dictionary<string, string> { ["agent"] = agent, ["quota"] = spent.Agent, ["day"] = spent.Day },
            };
        }

        return check;
    }

    /// <summary>Today's (UTC) tokens and cost of every agent that used any, from the same incremental reading the checks use.</summary>
    internal (string Day, IReadOnlyDictionary<string, (long Tokens, decimal? Cost, long Requests)> ByAgent) UsageToday(IOperationContext? context)
        => _usage.Snapshot(context);

    private TokenQuota Status(QuotaStore.Limits limits, IOperationContext? context)
    {
        var (day, tokens, cost) = _usage.Used(limits.Agent, context);
        var tokenShare = limits.DailyTokens is { } maxTokens ? (maxTokens == 0 ? double.PositiveInfinity : (double)tokens / maxTokens) : 0;
        var costShare = limits.DailyCostUsd is { } maxCost ? (maxCost == 0 ? double.PositiveInfinity : (double)(cost / maxCost)) : 0;
        var share = Math.Max(tokenShare, costShare);
        return new TokenQuota
        {
            Agent = limits.Agent,
            State = share >= 1 ? QuotaState.Exceeded : share >= limits.WarnAt ? QuotaState.Warn : QuotaState.Ok,
            DailyTokens = limits.DailyTokens,
            DailyCostUsd = limits.DailyCostUsd,
            WarnAt = limits.WarnAt,
            UsedTokens = tokens,
            UsedCostUsd = cost,
            RemainingTokens = limits.DailyTokens is { } t ? Math.Max(0, t - tokens) : null,
            RemainingCostUsd = limits.DailyCostUsd is { } c ? Math.Max(0, c - cost) : null,
            Day = day,
        };
    }

    private static string Describe(TokenQuota quota)
    {
        var parts = new List<string>();
        if (quota.DailyTokens is { } tokens)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{quota.UsedTokens:N0} of {tokens:N0} tokens"));
        }

        if (quota.DailyCostUsd is { } cost)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"${quota.UsedCostUsd:0.####} of ${cost:0.##}"));
        }

        return string.Join(" and ", parts) + $" used on {quota.Day} (UTC)";
    }

    private static string ValidAgent(string? agent)
    {
        if (string.IsNullOrWhiteSpace(agent) || agent.Length > 100 || agent.Any(char.IsControl))
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                $"'{agent}' is not an agent name for a quota. Give the agent's name, or \"*\" for the quota over all agents.", agent);
        }

        return agent.Trim();
    }
}

/// <summary>The answer of <see cref="QuotaGuard.Check"/>: the worst state and the quota that set it.</summary>
internal sealed record QuotaCheck(string Agent, QuotaState State, TokenQuota? Limiting, IReadOnlyList<TokenQuota> Quotas);
