using System.Collections.Concurrent;
using AiSwitch.Core.Home;
using AiSwitch.Core.Hosting;
using YamlDotNet.RepresentationModel;

namespace AiSwitch.Core.Usage;

/// <summary>
/// Model prices: the shipped, dated default table (an embedded resource) overlaid by <c>config/pricing.yaml</c>, whose
/// entries win. A model is found by exact name or alias first, then by the longest alias prefix (<c>claude-opus-4-8*</c>).
/// Names are compared case-insensitively after dropping a provider path (<c>models/</c>, <c>anthropic/</c>) and a
/// bracketed suffix (<c>claude-opus-4-8[1m]</c>). An unknown model has no price: its records get no cost, never a
/// silent 0, and reports list it.
/// </summary>
internal sealed class PricingTable
{
    public const string FileName = "pricing.yaml";
    private const string What = "Pricing file";
    private const string ResourceName = "AiSwitch.Core.Usage.pricing-default.yaml";

    private readonly Dictionary<string, ModelPrice> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Prefix, ModelPrice Price)> _prefixes = [];

    // What Find answered for each model name as written: an import prices a few models a hundred thousand times.
    private readonly ConcurrentDictionary<string, ModelPrice?> _found = new(StringComparer.Ordinal);

    private PricingTable(IReadOnlyList<ModelPrice> models, string asOf)
    {
        Models = models;
        AsOf = asOf;
        foreach (var price in models)
        {
            foreach (var name in price.Aliases.Prepend(price.Model))
            {
                if (name.EndsWith('*'))
                {
                    _prefixes.Add((Normalize(name[..^1]), price));
                }
                else
                {
                    _exact[Normalize(name)] = price;
                }
            }
        }

        _prefixes.Sort((a, b) => b.Prefix.Length.CompareTo(a.Prefix.Length));
    }

    /// <summary>Every priced model, user entries first.</summary>
    public IReadOnlyList<ModelPrice> Models { get; }

    /// <summary>The shipped table's date.</summary>
    public string AsOf { get; }

    /// <summary>The table of a home: the shipped defaults overlaid by its <c>config/pricing.yaml</c>.</summary>
    public static PricingTable Load(AiHome home)
    {
        var (defaults, asOf) = Parse(ReadDefault(), "default", user: false);
        var userPath = Path.Combine(home.ConfigDir, FileName);
        var bytes = AtomicFile.ReadOrNull(userPath);
        var user = bytes is null ? [] : Parse(bytes, userPath, user: true).Models;
        var shipped = defaults.ToDictionary(p => p.Model, StringComparer.OrdinalIgnoreCase);
        // An override changes the prices, not the names: the shipped row's aliases ("sonnet") keep finding it.
        var mine = user.Select(p => shipped.TryGetValue(p.Model, out var old)
            ? new ModelPrice
            {
                Model = p.Model, Input = p.Input, Output = p.Output, CacheRead = p.CacheRead, CacheWrite = p.CacheWrite,
                CacheWrite1h = p.CacheWrite1h, Source = p.Source, AsOf = p.AsOf, IsOverride = true,
                Aliases = [.. p.Aliases.Concat(old.Aliases).Distinct(StringComparer.OrdinalIgnoreCase)],
            }
            : p).ToList();
        var overridden = new HashSet<string>(user.Select(p => p.Model), StringComparer.OrdinalIgnoreCase);
        return new PricingTable([.. mine, .. defaults.Where(p => !overridden.Contains(p.Model))], asOf);
    }

    /// <summary>The session's table (loaded once; the file is re-read when it changes).</summary>
    public static PricingTable For(AiSession session)
        => session.GetService(s => new PricingCache(s.Home)).Current;

    /// <summary>The price of <paramref name="model"/>, or null when the table does not know it.</summary>
    public ModelPrice? Find(string? model)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return null;
        }

        return _found.Count < 4096 ? _found.GetOrAdd(model, Lookup) : Lookup(model);
    }

    private ModelPrice? Lookup(string model)
    {
        var name = Normalize(model);
        if (_exact.TryGetValue(name, out var price))
        {
            return price;
        }

        foreach (var (prefix, candidate) in _prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// The record with its cost: the agent's own cost is kept; otherwise the table prices it, or it gets none. An unknown
    /// model is not warned about here, per task: reports list the unpriced models once (UsageOperations).
    /// </summary>
    public LedgerRecord Price(LedgerRecord record)
    {
        if (record.CostUsd is not null)
        {
            return Unpriced(record);
        }

        if (Find(record.Model) is { } price)
        {
            return record.With(price.Cost(record.InputTokens, record.OutputTokens, record.CacheReadTokens, record.CacheWriteTokens, record.CacheWrite1hTokens), CostSource.Pricing);
        }

        return Unpriced(record);
    }

    /// <summary>The record with the agent's own cost if it has one, and no cost otherwise.</summary>
    public static LedgerRecord Unpriced(LedgerRecord record)
        => record.CostUsd is not null
            ? (record.CostSource == CostSource.Agent ? record : record.With(record.CostUsd, CostSource.Agent))
            : (record.CostSource == CostSource.None ? record : record.With(null, CostSource.None));

    internal static string Normalize(string model)
    {
        var name = model.Trim();
        var bracket = name.IndexOf('[', StringComparison.Ordinal);
        if (bracket > 0)
        {
            name = name[..bracket];
        }

        var slash = name.LastIndexOf('/');
        if (slash >= 0 && slash < name.Length - 1)
        {
            name = name[(slash + 1)..];
        }

        return name.ToLowerInvariant();
    }

    private static byte[] ReadDefault()
    {
        using var stream = typeof(PricingTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded default pricing table {ResourceName} is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static (List<ModelPrice> Models, string AsOf) Parse(byte[] bytes, string path, bool user)
    {
        var root = UsageYaml.Load(bytes, path, What);
        var asOf = UsageYaml.Text(root, "as_of");
        var source = user ? path : UsageYaml.Text(root, "source") ?? "AiSwitch's shipped table";
        var models = new List<ModelPrice>();
        var section = UsageYaml.Mapping(root, "models", path, What);
        if (section is null)
        {
            return (models, asOf ?? "unknown");
        }

        foreach (var (key, value) in section.Children)
        {
            var name = (key as YamlScalarNode)?.Value;
            if (string.IsNullOrWhiteSpace(name) || value is not YamlMappingNode entry)
            {
                throw UsageYaml.Invalid(path, What, key, "each model must be 'name:' followed by indented input/output prices");
            }

            var input = UsageYaml.Number(entry, "input", path, What)
                ?? throw UsageYaml.Invalid(path, What, key, $"model '{name}' has no 'input' price");
            var output = UsageYaml.Number(entry, "output", path, What)
                ?? throw UsageYaml.Invalid(path, What, key, $"model '{name}' has no 'output' price");
            var cacheWrite = UsageYaml.Number(entry, "cache_write", path, What) ?? input;
            models.Add(new ModelPrice
            {
                Model = name,
                Input = input,
                Output = output,
                CacheRead = UsageYaml.Number(entry, "cache_read", path, What) ?? input,
                CacheWrite = cacheWrite,
                CacheWrite1h = UsageYaml.Number(entry, "cache_write_1h", path, What) ?? cacheWrite,
                Aliases = UsageYaml.List(entry, "aliases", path, What),
                Source = UsageYaml.Text(entry, "source") ?? source,
                AsOf = UsageYaml.Text(entry, "as_of") ?? asOf,
                IsOverride = user,
            });
        }

        return (models, asOf ?? "unknown");
    }
}

/// <summary>Keeps one table and its warnings, reloading when the user's pricing file changes.</summary>
internal sealed class PricingCache(AiHome home)
{
    private readonly object _gate = new();
    private PricingTable? _table;
    private AiSwitchException? _error;
    private DateTime _stamp;

    public PricingTable Current
    {
        get
        {
            var path = Path.Combine(home.ConfigDir, PricingTable.FileName);
            var stamp = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
            lock (_gate)
            {
                if ((_table is null && _error is null) || stamp != _stamp)
                {
                    // A broken file is read once per change, not once per record.
                    (_table, _error) = (null, null);
                    try
                    {
                        _table = PricingTable.Load(home);
                    }
                    catch (AiSwitchException ex) when (ex.Id == ErrorId.UsageConfigInvalid)
                    {
                        _error = ex;
                    }

                    _stamp = stamp;
                }

                return _table ?? throw new AiSwitchException(_error!.Id, _error.Message, _error.Target, _error) { Details = _error.Details };
            }
        }
    }
}
