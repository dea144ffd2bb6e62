using System.Collections.ObjectModel;

namespace AiSwitch;

/// <summary>
/// Names (tags, variable names, arguments) on an output object: a list to scripts and JSON, and as text (an Export-Csv
/// cell, a table column) the names joined, <c>work, cheap</c>, instead of the type's name.
/// </summary>
public sealed class NameList : ReadOnlyCollection<string>
{
    public static new readonly NameList Empty = new([]);

    public NameList(IList<string> names)
        : base(names)
    {
    }

    /// <summary>The names as a list of their own; the list itself when it is one already.</summary>
    public static NameList Of(IEnumerable<string>? names) => names switch
    {
        null => Empty,
        NameList list => list,
        _ => new NameList([.. names]),
    };

    public override string ToString() => string.Join(", ", this);
}
