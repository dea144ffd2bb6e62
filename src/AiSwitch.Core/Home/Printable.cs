namespace AiSwitch.Core.Home;

/// <summary>How a rejected name is echoed in an error: so the user sees what was wrong, without letting it garble the terminal.</summary>
internal static class Printable
{
    /// <summary>Cut past <paramref name="maxLength"/> characters (with '…'); control characters (NUL, newline, ESC) become '?'.</summary>
    public static string Name(string? value, int maxLength)
    {
        if (value is null)
        {
            return "(null)";
        }

        var cut = value.Length > maxLength ? value[..maxLength] + "…" : value;
        return string.Concat(cut.Select(c => char.IsControl(c) ? '?' : c));
    }
}
