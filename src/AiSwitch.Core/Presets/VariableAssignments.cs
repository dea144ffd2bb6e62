
namespace AiSwitch.Core.Presets;

/// <summary>Command-line <c>NAME=VALUE</c> pairs (preset values, overrides) as a name → raw value map.</summary>
internal static class VariableAssignments
{
    /// <summary>Splits each pair at its first '='; the value may be empty or hold more '='. A later pair for a name wins.</summary>
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> pairs)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new AiSwitchException(ErrorId.InvalidArgument,
                    $"'{NameOnly(pair)}' is not NAME=VALUE. Write each variable as NAME=VALUE, for example OPENAI_MODEL=gpt-4o or OPENAI_API_KEY=env:MY_KEY.");
            }

            variables[pair[..equals]] = pair[(equals + 1)..];
        }

        return variables;
    }

    // A malformed pair may be a secret pasted without its name: show it only when it reads as a variable name.
    private static string NameOnly(string pair) => PresetNames.IsValidVariableName(pair) && !Redaction.LooksLikeSecret(pair) ? pair : Redaction.MaskValue(pair);
}
