using System.Globalization;
using AiSwitch.Core.Hosting;

namespace AiSwitch.Core.Usage;

/// <summary>
/// Today's (UTC) totals per agent and overall, read from the ledger and kept up to date incrementally: a check reads
/// only the bytes appended since the last one, so repeated quota checks stay cheap however big the day's file gets.
/// </summary>
internal sealed class DayUsage
{
    private readonly TokenLedger _ledger;
    private readonly TimeProvider _clock;
    private readonly object _gate = new();
    private readonly StringTable _strings = new();
    private Dictionary<string, UsageTotals> _byAgent = new(StringComparer.OrdinalIgnoreCase);
    private UsageTotals _all = new();
    private string? _path;
    private long _offset;

    public DayUsage(TokenLedger ledger, TimeProvider clock)
    {
        _ledger = ledger;
        _clock = clock;
    }

    /// <summary>The UTC day the figures are for, and the totals of <paramref name="agent"/> (or all agents for "*").</summary>
    public (string Day, long Tokens, decimal Cost) Used(string agent, IOperationContext? context)
    {
        var now = _clock.GetUtcNow();
        var path = _ledger.PathFor(now);
        lock (_gate)
        {
            if (path != _path)
            {
                (_path, _offset, _all) = (path, 0, new UsageTotals());
                _byAgent = new(StringComparer.OrdinalIgnoreCase);
            }

            var length = File.Exists(path) ? new FileInfo(path).Length : 0;
            if (length > _offset)
            {
                _offset = TokenLedger.ScanFile(path, _offset, _strings, withIds: false, Add, context).EndOffset;
            }

            var totals = agent == TokenQuota.AllAgents ? _all : _byAgent.GetValueOrDefault(agent);
            return (now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), totals?.Total ?? 0, totals?.Cost ?? 0m);
        }
    }

    /// <summary>Today's tokens and cost of every agent that used any (read incrementally like <see cref="Used"/>).</summary>
    public (string Day, IReadOnlyDictionary<string, (long Tokens, decimal? Cost, long Requests)> ByAgent) Snapshot(IOperationContext? context)
    {
        var (day, _, _) = Used(TokenQuota.AllAgents, context);
        lock (_gate)
        {
            return (day, _byAgent.ToDictionary(p => p.Key, p => (p.Value.Total, p.Value.Cost, p.Value.Requests), StringComparer.OrdinalIgnoreCase));
        }
    }

    private void Add(LedgerRecord record)
    {
        _all.Add(record);
        if (!_byAgent.TryGetValue(record.Agent, out var totals))
        {
            _byAgent[record.Agent] = totals = new UsageTotals();
        }

        totals.Add(record);
    }
}
