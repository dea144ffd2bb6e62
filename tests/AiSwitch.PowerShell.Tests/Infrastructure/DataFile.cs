using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using PS = System.Management.Automation.PowerShell;

namespace AiSwitch.PowerShell.Tests.Infrastructure;

/// <summary>
/// A .psd1 read by PowerShell itself (Import-PowerShellDataFile in a runspace of its own), so the manifest checks see
/// exactly what Import-Module sees. Hashtables become case-insensitive dictionaries and arrays lists.
/// </summary>
internal static class DataFile
{
    public static IReadOnlyDictionary<string, object?> Read(string path)
    {
        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        using var shell = PS.Create(runspace);
        var data = shell.AddCommand("Import-PowerShellDataFile").AddParameter("LiteralPath", path).Invoke();
        if (shell.HadErrors || data.Count != 1)
        {
            throw new FormatException($"Import-PowerShellDataFile could not read {path}: {string.Join("; ", shell.Streams.Error)}");
        }

        return (IReadOnlyDictionary<string, object?>)Convert(data[0])!;
    }

    /// <summary>A value as a list of strings: a bare string counts as a one-element array, as PowerShell treats it.</summary>
    public static IReadOnlyList<string> Strings(IReadOnlyDictionary<string, object?> data, string key)
        => data.TryGetValue(key, out var value) ? value switch
        {
            null => [],
            string s => [s],
            IReadOnlyList<object?> list => list.Select(item => item as string ?? throw new FormatException($"{key} holds a non-string item '{item}'.")).ToList(),
            _ => throw new FormatException($"{key} is {value.GetType().Name}, not a string or an array of strings."),
        } : [];

    private static object? Convert(object? value) => value switch
    {
        PSObject wrapped => Convert(wrapped.BaseObject),
        Hashtable table => table.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => Convert(e.Value), StringComparer.OrdinalIgnoreCase).AsReadOnly(),
        object?[] items => items.Select(Convert).ToList(),
        _ => value,
    };
}
