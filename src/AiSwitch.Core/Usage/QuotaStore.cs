using System.Globalization;
using System.Text;
using AiSwitch.Core.Home;
using YamlDotNet.RepresentationModel;

namespace AiSwitch.Core.Usage;

/// <summary><c>config/quotas.yaml</c>: the daily limits per agent and overall, changed under a file lock.</summary>
internal sealed class QuotaStore
{
    public const string FileName = "quotas.yaml";
    private const string What = "Quota file";

    public QuotaStore(AiHome home) => Path = System.IO.Path.Combine(home.ConfigDir, FileName);

    public string Path { get; }

    public sealed record Limits(string Agent, long? DailyTokens, decimal? DailyCostUsd, double WarnAt);

    public IReadOnlyList<Limits> Read() => Parse(AtomicFile.ReadOrNull(Path));

    /// <summary>Reads, changes and writes the file while holding its lock.</summary>
    public IReadOnlyList<Limits> Update(Func<List<Limits>, List<Limits>> change)
    {
        using (FileMutex.Acquire(Path + ".lock"))
        {
            var updated = change([.. Parse(AtomicFile.ReadOrNull(Path))]);
            AtomicFile.Write(Path, Serialize(updated));
            return updated;
        }
    }

    private IReadOnlyList<Limits> Parse(byte[]? bytes)
    {
        if (bytes is null)
        {
            return [];
        }

        var root = UsageYaml.Load(bytes, Path, What);
        var section = UsageYaml.Mapping(root, "quotas", Path, What);
        if (section is null)
        {
            return [];
        }

        var limits = new List<Limits>();
        foreach (var (key, value) in section.Children)
        {
            var agent = (key as YamlScalarNode)?.Value;
            if (string.IsNullOrWhiteSpace(agent) || value is not YamlMappingNode entry)
            {
                throw UsageYaml.Invalid(Path, What, key, "each quota must be an agent name (or \"*\" for all agents) followed by indented daily_tokens / daily_cost_usd / warn_at");
            }

            var tokens = UsageYaml.Number(entry, "daily_tokens", Path, What);
            var warnAt = (double)(UsageYaml.Number(entry, "warn_at", Path, What) ?? (decimal)TokenQuota.DefaultWarnAt);
            if (warnAt is <= 0 or > 1)
            {
                throw UsageYaml.Invalid(Path, What, key, $"warn_at of '{agent}' must be above 0 and at most 1, not {warnAt.ToString(CultureInfo.InvariantCulture)}");
            }

            limits.Add(new Limits(agent, tokens is null ? null : (long)tokens.Value, UsageYaml.Number(entry, "daily_cost_usd", Path, What), warnAt));
        }

        return limits;
    }

    private static byte[] Serialize(IEnumerable<Limits> limits)
    {
        var text = new StringBuilder("# Daily token and cost quotas (UTC days). \"*\" is the quota over all agents together.\n# Change with Set-AiTokenQuota / Remove-AiTokenQuota, or aiswitch tokens quota.\nquotas:\n");
        foreach (var limit in limits.OrderBy(l => l.Agent == TokenQuota.AllAgents ? 0 : 1).ThenBy(l => l.Agent, StringComparer.OrdinalIgnoreCase))
        {
            text.Append("  \"").Append(limit.Agent.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\":\n");
            if (limit.DailyTokens is { } tokens)
            {
                text.Append(CultureInfo.InvariantCulture, $"    daily_tokens: {tokens}\n");
            }

            if (limit.DailyCostUsd is { } cost)
            {
                text.Append(CultureInfo.InvariantCulture, $"    daily_cost_usd: {cost}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"    warn_at: {limit.WarnAt}\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static AiSwitchException NotFound(string agent, IEnumerable<Limits> known)
    {
        var names = known.Select(l => l.Agent).ToList();
        var list = names.Count == 0 ? "There are no quotas." : "Quotas exist for: " + string.Join(", ", names) + ".";
        return new AiSwitchException(ErrorId.QuotaNotFound,
            $"There is no quota for agent '{agent}'. {list} Set one with Set-AiTokenQuota -Agent {agent} -DailyTokens N.", agent);
    }
}
