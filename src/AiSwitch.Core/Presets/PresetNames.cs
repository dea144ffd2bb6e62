using System.Text.RegularExpressions;

namespace AiSwitch.Core.Presets;

/// <summary>
/// What a preset name and a variable name may be, and the closest known names for a name that does not exist.
/// A preset name becomes a file name, so it must be safe as one on every platform.
/// </summary>
internal static partial class PresetNames
{
    public const int MaxNameLength = 64;

    private static readonly HashSet<string> ReservedWindowsNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    [GeneratedRegex("^[A-Za-z0-9._-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NameCharacters();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();

    public static bool IsValidName(string? name) => NameProblem(name) is null;

    public static bool IsValidVariableName(string? name) => name is not null && VariableName().IsMatch(name);

    /// <summary>Throws <see cref="ErrorId.InvalidPresetName"/> saying what is wrong with the name.</summary>
    public static void ValidateName(string? name)
    {
        if (NameProblem(name) is { } problem)
        {
            throw new AiSwitchException(ErrorId.InvalidPresetName,
                $"Preset name '{Home.Printable.Name(Redaction.ForMessage(name), MaxNameLength + 20)}' is not valid: {problem}. Use up to {MaxNameLength} letters, digits, '-', '_' or '.', for example 'openai-gpt4'.",
                name);
        }
    }

    /// <summary>Throws <see cref="ErrorId.InvalidVariableName"/> naming the variable and the rule.</summary>
    public static void ValidateVariableName(string? variable, string presetName)
    {
        if (!IsValidVariableName(variable))
        {
            throw new AiSwitchException(ErrorId.InvalidVariableName,
                $"Variable name '{Redaction.ForMessage(variable)}' in preset '{presetName}' is not a valid environment variable name. Use letters, digits and '_', not starting with a digit, for example OPENAI_API_KEY.",
                presetName);
        }
    }

    private static string? NameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "it is empty";
        }

        if (name.Length > MaxNameLength)
        {
            return $"it is {name.Length} characters long, more than {MaxNameLength}";
        }

        if (name.Contains('/') || name.Contains('\\'))
        {
            return "it contains a path separator";
        }

        if (name.Contains("..", StringComparison.Ordinal))
        {
            return "it contains '..'";
        }

        if (!NameCharacters().IsMatch(name))
        {
            return "it contains a character other than letters, digits, '-', '_' and '.'";
        }

        if (name.StartsWith('.') || name.EndsWith('.'))
        {
            return "it starts or ends with '.'";
        }

        var stem = name.Split('.')[0];
        if (ReservedWindowsNames.Contains(stem))
        {
            return $"'{stem}' is a reserved device name on Windows";
        }

        return null;
    }

    /// <summary>
    /// Up to <paramref name="max"/> known names close to <paramref name="name"/> (case-insensitive edit distance,
    /// or one containing the other), closest first.
    /// </summary>
    public static IReadOnlyList<string> Closest(string name, IEnumerable<string> known, int max = 3)
    {
        var wanted = name.ToLowerInvariant();
        var limit = Math.Max(2, wanted.Length / 3);
        return known
            .Select(candidate => (Candidate: candidate, Distance: EditDistance(wanted, candidate.ToLowerInvariant())))
            .Where(x => x.Distance <= limit
                || (wanted.Length >= 3 && x.Candidate.Contains(wanted, StringComparison.OrdinalIgnoreCase))
                || (x.Candidate.Length >= 3 && wanted.Contains(x.Candidate, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Candidate, StringComparer.OrdinalIgnoreCase)
            .Take(max)
            .Select(x => x.Candidate)
            .ToList();
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
