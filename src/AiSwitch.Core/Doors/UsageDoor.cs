using AiSwitch.Core.Hosting;
using AiSwitch.Core.Usage;
using AiSwitch.Protocol;

namespace AiSwitch.Core;

/// <summary>The usage door: the token ledger (<c>state/tokens/</c>) grouped and summed, and imports from the agent CLIs' own logs.</summary>
public sealed class UsageDoor
{
    private readonly AiSession _session;

    internal UsageDoor(AiSession session) => _session = session;

    /// <summary>Flat rows, one per group, for tables and Export-Csv.</summary>
    public IReadOnlyList<TokenUsageRow> Query(TokenUsageQuery query, IOperationContext? context = null) => Operations.Query(query, context);

    /// <summary>The window's totals, with breakdowns by model and task type and the peak hour.</summary>
    public TokenSummary Summary(TokenUsageQuery query, IOperationContext? context = null) => Operations.Summary(query, context);

    /// <summary>The same summary as seed 003's TokenSummaryResult (<c>aiswitch tokens summary --summary</c> prints it as JSON).</summary>
    public TokenSummaryResult SummaryResult(TokenUsageQuery query, IOperationContext? context = null) => Operations.SummaryResult(query, context);

    /// <summary>seed 003 tokens.summary, as a JSON-RPC agent asks it (days and hours in UTC).</summary>
    public TokenSummaryResult SummaryResult(TokenSummaryParams parameters, IOperationContext? context = null) => Operations.Summary(parameters, context);

    /// <summary>Adds the model calls in an agent CLI's logs to the ledger, each once.</summary>
    public ImportUsageResult Import(ImportUsageRequest request, IOperationContext? context = null, CancellationToken cancellationToken = default)
        => UsageImporter.For(_session).Import(request, context, cancellationToken);

    /// <summary>The import sources by the names users type (claude, codex, gemini); the old name ClaudeCode is left out.</summary>
    public static IReadOnlyList<string> ImportSources { get; } =
        [.. Enum.GetValues<UsageImportSource>().Where(s => UsageImporter.Canonical(s) == s).Select(s => s.ToString().ToLowerInvariant())];

    /// <summary>A source by name, in any case: claude, codex, gemini, or ClaudeCode (read as claude); InvalidArgument otherwise.</summary>
    public static UsageImportSource ImportSource(string name)
        => name is [var first, ..] && char.IsLetter(first) && Enum.TryParse<UsageImportSource>(name, ignoreCase: true, out var source)
            ? UsageImporter.Canonical(source)
            : throw new AiSwitchException(ErrorId.InvalidArgument,
                $"There is no usage source '{name}'. Use one of: {string.Join(", ", ImportSources)}.", name);

    /// <summary>Where an import reads when no path is given.</summary>
    public IReadOnlyList<string> DefaultRoots(UsageImportSource source) => UsageImporter.For(_session).DefaultRoots(source);

    /// <summary>
    /// The price table: rows whose model or an alias matches one of <paramref name="models"/> (wildcards), or all;
    /// <c>config/pricing.yaml</c>'s rows first. A broken pricing file is an error naming its line.
    /// </summary>
    public IReadOnlyList<AiModelPrice> Prices(IReadOnlyList<string>? models = null)
    {
        var matchers = models is { Count: > 0 } ? models.Select(m => new Home.NamePattern(m)).ToList() : null;
        return [.. PricingTable.For(_session).Models
            .Where(p => matchers is null || matchers.Any(m => m.IsMatch(p.Model) || p.Aliases.Any(m.IsMatch)))
            .Select(p => new AiModelPrice
            {
                Model = p.Model, InputUsd = p.Input, OutputUsd = p.Output, CacheReadUsd = p.CacheRead, CacheWriteUsd = p.CacheWrite,
                CacheWrite1hUsd = p.CacheWrite1h, Aliases = p.Aliases, Source = p.Source, AsOf = p.AsOf, IsOverride = p.IsOverride,
            })];
    }

    /// <summary>Agent names seen in the last week's ledger and in the quotas (tab completion).</summary>
    public IReadOnlyList<string> KnownAgents() => UsageOperations.KnownAgents(_session.Home, _session.Clock);

    /// <summary>Model names seen in the last week's ledger (tab completion).</summary>
    public IReadOnlyList<string> KnownModels() => UsageOperations.KnownModels(_session.Home, _session.Clock);

    /// <summary>The current hour, day, week or month in <paramref name="zone"/>, as a [start, end) window.</summary>
    public (DateTimeOffset Start, DateTimeOffset End) Window(UsageTimeframe timeframe, TimeZoneInfo zone)
        => UsageOperations.Window(timeframe, _session.Clock.GetUtcNow(), zone);

    private UsageOperations Operations => UsageOperations.For(_session);
}
