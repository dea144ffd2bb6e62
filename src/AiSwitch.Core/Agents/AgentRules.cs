using System.Globalization;
using AiSwitch.Core.Locking;
using AiSwitch.Core.Presets;

namespace AiSwitch.Core.Agents;

/// <summary>
/// What each field of an agent definition may hold. Each rule returns the problem in words, or null; the YAML reader
/// adds the file, line and column, and Register adds the parameter.
/// </summary>
internal static class AgentRules
{
    public const int MaxConcurrencyLimit = 64;
    public const int MaxRestartsLimit = 10;

    /// <summary>Agent names become file names (pid files, logs, environment records), so they follow the lock-name rule.</summary>
    public static string? NameProblem(string? name)
        => LockName.IsValid(name) ? null : $"the agent name '{name}' is not valid: use {LockName.Rule}";

    public static string? AdapterProblem(string? adapter, IReadOnlyList<string> known)
        => adapter is not null && known.Contains(adapter, StringComparer.Ordinal)
            ? null
            : $"the adapter '{adapter}' is not known. Known adapters: {string.Join(", ", known)}";

    public static string? MaxConcurrencyProblem(int value)
        => value is >= 1 and <= MaxConcurrencyLimit ? null : $"max_concurrency is {value}; use 1 to {MaxConcurrencyLimit}";

    public static string? MaxRestartsProblem(int value)
        => value is >= 0 and <= MaxRestartsLimit ? null : $"max_restarts is {value}; use 0 to {MaxRestartsLimit}";

    public static string? TimeoutProblem(TimeSpan value)
        => value > TimeSpan.Zero && value <= TimeSpan.FromDays(1) ? null : $"default_timeout is {value}; use more than 0 seconds and at most a day";

    public static string? PresetProblem(string? preset)
        => preset is null || PresetNames.IsValidName(preset) ? null : $"the preset name '{preset}' is not valid";

    public static string? VariableProblem(string agent, string name, string value)
    {
        if (!PresetNames.IsValidVariableName(name))
        {
            return $"'{Redaction.ForMessage(name)}' is not a valid environment variable name (letters, digits and '_', not starting with a digit)";
        }

        try
        {
            PresetReference.Validate(agent, name, value);
            return null;
        }
        catch (AiSwitchException ex)
        {
            return ex.Message.TrimEnd('.');
        }
    }

    /// <summary>Seconds as a number ("300", "1.5"), with a unit ("90s", "5m", "2h"), or hh:mm:ss.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        text = text.Trim();
        var unit = text.Length > 0 ? text[^1] : ' ';
        var scale = unit switch { 's' => 1.0, 'm' => 60.0, 'h' => 3600.0, _ => 0.0 };
        var number = scale == 0 ? text : text[..^1];
        if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return TimeSpan.FromSeconds(amount * (scale == 0 ? 1 : scale));
        }

        return text.Contains(':') && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span : null;
    }

    /// <summary>A memory size with a unit: 512MB, 2GB, 65536KB (K, M, G with or without B or iB, all 1024-based); at least 1 MB.</summary>
    public static long? ParseMemory(string text)
    {
        text = text.Trim();
        var digits = 0;
        while (digits < text.Length && (char.IsAsciiDigit(text[digits]) || text[digits] == '.'))
        {
            digits++;
        }

        var shift = text[digits..].Trim().ToUpperInvariant() switch
        {
            "K" or "KB" or "KIB" => 10,
            "M" or "MB" or "MIB" => 20,
            "G" or "GB" or "GIB" => 30,
            _ => -1,
        };
        if (shift < 0 || !double.TryParse(text[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }

        var bytes = amount * (1L << shift);
        return bytes >= 1 << 20 && bytes <= long.MaxValue / 2 ? (long)bytes : null;
    }

    /// <summary>A CPU share in percent of one core: "50%" or "50", above 0 (a share above the machine's cores is no limit).</summary>
    public static double? ParseCpuPercent(string text)
    {
        var number = text.Trim().TrimEnd('%').Trim();
        return double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent)
            && percent > 0 ? percent : null;
    }

    public static string FormatDuration(TimeSpan value)
        => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    public static RestartPolicy? ParseRestartPolicy(string text) => text.Trim().ToLowerInvariant() switch
    {
        "never" or "no" => RestartPolicy.Never,
        "on-failure" or "on_failure" or "onfailure" => RestartPolicy.OnFailure,
        _ => null,
    };

    public static string FormatRestartPolicy(RestartPolicy policy) => policy == RestartPolicy.Never ? "never" : "on-failure";
}
