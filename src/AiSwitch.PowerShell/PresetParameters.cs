using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using AiSwitch.Core.Presets;

namespace AiSwitch.PowerShell;

/// <summary>Turns the preset cmdlets' PowerShell-shaped parameters into Core's plain values.</summary>
internal static class PresetParameters
{
    /// <summary>
    /// A -Variable hashtable as name → raw value. A SecureString is stored as its text (inline, in the 0600 file);
    /// booleans become "true"/"false"; numbers use the invariant culture. A null value is passed on for Core to refuse.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Variables(Hashtable? table)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table ?? [])
        {
            variables[Text(entry.Key) ?? string.Empty] = Text(entry.Value)!;
        }

        return variables;
    }

    public static string? Text(object? value) => (value is PSObject wrapped ? wrapped.BaseObject : value) switch
    {
        null => null,
        string text => text,
        SecureString secure => Plain(secure),
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };

    public static string Plain(SecureString secure)
    {
        var pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
        try
        {
            return Marshal.PtrToStringUni(pointer) ?? string.Empty;
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }
}
