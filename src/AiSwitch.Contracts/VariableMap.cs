using System.Collections.ObjectModel;

namespace AiSwitch;

/// <summary>
/// Environment variables on an output object, by name: a dictionary to scripts and JSON, and as text (an Export-Csv cell)
/// <c>NAME=value; …</c> — or only the names where the values are not redacted for display.
/// </summary>
public sealed class VariableMap : ReadOnlyDictionary<string, string>
{
    public static new readonly VariableMap Empty = new(new Dictionary<string, string>(), showValues: false);

    private readonly bool _showValues;

    /// <param name="showValues">Whether the text may show the values: only when they are already redacted for display.</param>
    public VariableMap(IDictionary<string, string> variables, bool showValues)
        : base(variables)
        => _showValues = showValues;

    /// <summary>Display values (already redacted): the text shows them.</summary>
    public static VariableMap Shown(IReadOnlyDictionary<string, string>? variables)
        => variables is VariableMap { _showValues: true } map ? map : new(Copy(variables), showValues: true);

    /// <summary>Values as configured, which may hold a secret: the text names the variables only.</summary>
    public static VariableMap NamesOnly(IReadOnlyDictionary<string, string>? variables)
        => variables is VariableMap { _showValues: false } map ? map : new(Copy(variables), showValues: false);

    public override string ToString()
        => string.Join(_showValues ? "; " : ", ", this.Select(v => _showValues ? $"{v.Key}={v.Value}" : v.Key));

    // A dictionary that is one already (sorted, say) keeps its order and comparer.
    private static IDictionary<string, string> Copy(IReadOnlyDictionary<string, string>? variables)
        => variables as IDictionary<string, string> ?? variables?.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal) ?? [];
}
