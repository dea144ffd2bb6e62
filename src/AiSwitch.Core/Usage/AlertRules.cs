using AiSwitch.Core.Home;

namespace AiSwitch.Core.Usage;

/// <summary>
/// <c>config/alerts.yaml</c>: which rules notify, their thresholds, the rate limit and an optional webhook. With no
/// file, every rule is on, error_rate fires at 50 % errors over at least 5 tasks, and there is no webhook.
/// </summary>
internal sealed class AlertRules
{
    public const string FileName = "alerts.yaml";
    private const string What = "Alerts file";

    public bool QuotaEnabled { get; init; } = true;

    public bool ErrorRateEnabled { get; init; } = true;

    /// <summary>The share of failed tasks (0–1) at which error_rate fires.</summary>
    public double ErrorRateThreshold { get; init; } = 0.5;

    /// <summary>error_rate stays quiet until an agent has run this many tasks.</summary>
    public long ErrorRateMinTasks { get; init; } = 5;

    public bool AgentDownEnabled { get; init; } = true;

    /// <summary>A condition raised again sooner than this after its last notification is recorded but not notified.</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromMinutes(5);

    public Uri? WebhookUrl { get; init; }

    public TimeSpan WebhookTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public bool Enabled(string rule) => rule switch
    {
        AlertEngine.QuotaRule => QuotaEnabled,
        AlertEngine.ErrorRateRule => ErrorRateEnabled,
        AlertEngine.AgentDownRule => AgentDownEnabled,
        _ => true,
    };

    public static AlertRules Load(AiHome home)
    {
        var path = Path.Combine(home.ConfigDir, FileName);
        var root = UsageYaml.Load(path, What);
        if (root is null)
        {
            return new AlertRules();
        }

        var rules = UsageYaml.Mapping(root, "rules", path, What);
        var quota = rules is null ? null : UsageYaml.Mapping(rules, AlertEngine.QuotaRule, path, What);
        var errors = rules is null ? null : UsageYaml.Mapping(rules, AlertEngine.ErrorRateRule, path, What);
        var down = rules is null ? null : UsageYaml.Mapping(rules, AlertEngine.AgentDownRule, path, What);
        var webhook = UsageYaml.Mapping(root, "webhook", path, What);
        Uri? url = null;
        if (webhook is not null && UsageYaml.Text(webhook, "url") is { } text)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw new AiSwitchException(ErrorId.UsageConfigInvalid,
                    $"Alerts file '{path}': webhook url '{text}' is not an http:// or https:// address. Fix it, or remove the webhook section.", path);
            }
        }

        return new AlertRules
        {
            QuotaEnabled = IsOn(quota),
            ErrorRateEnabled = IsOn(errors),
            ErrorRateThreshold = (double)(errors is null ? 0.5m : UsageYaml.Number(errors, "threshold", path, What) ?? 0.5m),
            ErrorRateMinTasks = (long)(errors is null ? 5m : UsageYaml.Number(errors, "min_tasks", path, What) ?? 5m),
            AgentDownEnabled = IsOn(down),
            MinInterval = TimeSpan.FromSeconds((double)(UsageYaml.Number(root, "min_interval_seconds", path, What) ?? 300m)),
            WebhookUrl = url,
            WebhookTimeout = TimeSpan.FromSeconds((double)(webhook is null ? 5m : UsageYaml.Number(webhook, "timeout_seconds", path, What) ?? 5m)),
        };

        static bool IsOn(YamlDotNet.RepresentationModel.YamlMappingNode? rule)
            => rule is null || !string.Equals(UsageYaml.Text(rule, "enabled"), "false", StringComparison.OrdinalIgnoreCase);
    }
}
