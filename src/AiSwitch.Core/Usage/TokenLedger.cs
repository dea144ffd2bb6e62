using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using AiSwitch.Core.Home;
using AiSwitch.Core.Hosting;

namespace AiSwitch.Core.Usage;

/// <summary>
/// The token ledger: <c>state/tokens/YYYY-MM-DD.jsonl</c>, one file per UTC day, one JSON line per record. Every task
/// result and direct HTTP call appends here (<see cref="Append"/>); reports, quotas and the Prometheus export read it.
/// Appends from any number of sessions and processes never lose or tear a record (see <see cref="AppendOnlyFile"/>);
/// a torn line left by a killed writer is skipped and reported, never fatal.
/// </summary>
internal sealed class TokenLedger
{
    private readonly Func<PricingTable> _pricing;
    private readonly ConcurrentDictionary<string, bool> _priceErrors = new(StringComparer.Ordinal);

    public TokenLedger(AiHome home, Func<PricingTable>? pricing = null)
    {
        Directory = Path.Combine(home.StateDir, "tokens");
        if (pricing is null)
        {
            var cache = new PricingCache(home);
            pricing = () => cache.Current;
        }

        _pricing = pricing;
    }

    /// <summary>The session's ledger, pricing with the session's table (one unknown-model warning per model per session).</summary>
    public static TokenLedger For(AiSession session)
        => session.GetService(s => new TokenLedger(s.Home, () => PricingTable.For(s)));

    public string Directory { get; }

    /// <summary>
    /// Appends one record to the file of its UTC day. A record without a cost is priced from the pricing table (or
    /// gets none, with one warning per unknown model); returns the record as stored.
    /// </summary>
    public LedgerRecord Append(LedgerRecord record, IOperationContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var stored = Price(Pricing(context), Normalize(record));
        var buffer = new ArrayBufferWriter<byte>(384);
        LedgerCodec.Write(buffer, stored);
        AppendOnlyFile.Append(PathFor(stored.Time), buffer.WrittenSpan);
        return stored;
    }

    /// <summary>Appends many records (the bench's synthetic ledgers): priced like <see cref="Append"/>, one write per day file.</summary>
    internal IReadOnlyList<LedgerRecord> AppendMany(IEnumerable<LedgerRecord> records, IOperationContext? context)
    {
        var stored = Price(records, context);
        foreach (var day in stored.GroupBy(r => PathFor(r.Time)))
        {
            AppendOnlyFile.Append(day.Key, LedgerCodec.Encode(day));
        }

        return stored;
    }

    /// <summary>Many records priced like <see cref="Append"/> does, for a caller that writes them itself (an import).</summary>
    internal IReadOnlyList<LedgerRecord> Price(IEnumerable<LedgerRecord> records, IOperationContext? context)
    {
        var pricing = Pricing(context);
        return records.Select(r => Price(pricing, Normalize(r))).ToList();
    }

    /// <summary>
    /// The pricing table, or null when <c>config/pricing.yaml</c> is broken: prices are an extra, so a bad file costs the
    /// records their computed cost, never their place in the ledger and quotas. Each distinct error is said once.
    /// </summary>
    private PricingTable? Pricing(IOperationContext? context)
    {
        try
        {
            return _pricing();
        }
        catch (AiSwitchException ex) when (ex.Id == ErrorId.UsageConfigInvalid)
        {
            if (context is not null && _priceErrors.TryAdd(ex.Message, true))
            {
                context.WriteWarning(
                    $"{ex.Message} Until then usage is still recorded in the token ledger (reports and quotas count its tokens), " +
                    "but without a computed cost.");
            }

            return null;
        }
    }

    private static LedgerRecord Price(PricingTable? pricing, LedgerRecord record)
        => pricing?.Price(record) ?? PricingTable.Unpriced(record);

    /// <summary>The file that holds records of <paramref name="time"/>'s UTC day.</summary>
    public string PathFor(DateTimeOffset time) => DayFiles.PathFor(Directory, time);

    /// <summary>The day files that may hold records in [since, until), oldest first.</summary>
    internal IReadOnlyList<string> Files(DateTimeOffset? since = null, DateTimeOffset? until = null)
    {
        var first = since?.UtcDateTime.Date;
        var last = until?.UtcDateTime.Date;
        return DayFiles.In(Directory)
            .Where(f => (first is null || f.Day >= first) && (last is null || f.Day <= last))
            .OrderBy(f => f.Day)
            .Select(f => f.Path)
            .ToList();
    }

    /// <summary>
    /// Streams every record with time in [since, until). Torn lines are skipped; each file that had some is reported
    /// once through <paramref name="context"/>.
    /// </summary>
    internal void Scan(DateTimeOffset? since, DateTimeOffset? until, Action<LedgerRecord> visit, IOperationContext? context, bool withIds = false)
    {
        var strings = new StringTable();
        foreach (var path in Files(since, until))
        {
            ScanDay(path, since, until, strings, withIds, visit, context);
        }
    }

    /// <summary>
    /// Like <see cref="Scan"/>, but the day files are read in parallel, each worker into its own state (from
    /// <paramref name="create"/>); returns the states for the caller to merge. Order across files is not kept.
    /// </summary>
    internal IReadOnlyList<TState> ScanParallel<TState>(
        DateTimeOffset? since, DateTimeOffset? until, Func<TState> create, Action<TState, LedgerRecord> visit, IOperationContext? context)
    {
        var states = new List<TState>();
        Parallel.ForEach(
            Files(since, until),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => (State: create(), Strings: new StringTable()),
            (path, _, local) =>
            {
                ScanDay(path, since, until, local.Strings, withIds: false, record => visit(local.State, record), context);
                return local;
            },
            local =>
            {
                lock (states)
                {
                    states.Add(local.State);
                }
            });
        return states;
    }

    /// <summary>Reads one whole day file, visiting the records in [since, until); reports an unfinished last line.</summary>
    private static void ScanDay(
        string path, DateTimeOffset? since, DateTimeOffset? until, StringTable strings, bool withIds, Action<LedgerRecord> visit, IOperationContext? context)
    {
        var scan = ScanFile(path, 0, strings, withIds, record =>
        {
            if ((since is null || record.Time >= since) && (until is null || record.Time < until))
            {
                visit(record);
            }
        }, context);
        if (scan.Unfinished)
        {
            context?.WriteWarning(
                $"Ledger file '{path}' ends in an unfinished line (a record being written right now, or torn by a killed writer). It was skipped.");
        }
    }

    /// <summary>Reads one day file from <paramref name="offset"/>; the result's EndOffset is where the next read should start.</summary>
    internal static JsonLinesScan ScanFile(string path, long offset, StringTable strings, bool withIds, Action<LedgerRecord> visit, IOperationContext? context)
    {
        var torn = new List<long>();
        var scan = JsonLinesReader.Scan(path, offset, (line, number) =>
        {
            if (LedgerCodec.TryRead(line, strings, withIds, out var record))
            {
                visit(record);
            }
            else
            {
                torn.Add(number);
            }
        });
        if (torn.Count > 0)
        {
            var where = (torn.Count == 1 ? "line" : "lines") + (offset == 0 ? string.Empty : " (counted from byte " + offset.ToString(CultureInfo.InvariantCulture) + ")");
            context?.WriteWarning(
                $"Ledger file '{path}' has {torn.Count} unreadable {where} " +
                $"{string.Join(", ", torn.Take(5).Select(n => n.ToString(CultureInfo.InvariantCulture)))}{(torn.Count > 5 ? ", …" : string.Empty)}: " +
                "a record torn by a killed writer, or an edit by hand. It was skipped; the rest of the ledger is intact.");
        }

        return scan;
    }

    private static LedgerRecord Normalize(LedgerRecord record)
    {
        if (string.IsNullOrWhiteSpace(record.Agent))
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                "A ledger record needs the agent's name. Pass the agent that used the tokens.");
        }

        if (record.Implausible() is { } problem)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                $"A usage report was refused: {problem}. It is not in the ledger, reports or quotas. Fix the agent's usage reporting.", record.Agent);
        }

        return record;
    }
}
