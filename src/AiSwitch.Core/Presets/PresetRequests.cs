namespace AiSwitch.Core.Presets;

/// <summary>New-AiPreset / <c>aiswitch preset add</c>.</summary>
public sealed class NewPresetRequest
{
    public required string Name { get; init; }

    /// <summary>Raw values: literals or references.</summary>
    public required IReadOnlyDictionary<string, string> Variables { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Replace a preset of that name instead of failing with PresetAlreadyExists.</summary>
    public bool Force { get; init; }
}

/// <summary>Set-AiPreset / <c>aiswitch preset set</c>: only what is given changes.</summary>
public sealed class SetPresetRequest
{
    public required string Name { get; init; }

    /// <summary>Variables to add or replace (raw values).</summary>
    public IReadOnlyDictionary<string, string>? Variables { get; init; }

    /// <summary>Variables to remove; each must exist.</summary>
    public IReadOnlyList<string>? RemoveVariables { get; init; }

    public string? Description { get; init; }

    /// <summary>The new tag list (replaces the old one).</summary>
    public IReadOnlyList<string>? Tags { get; init; }
}

/// <summary>Import-AiPreset / <c>aiswitch preset import</c>: presets of the original Python aiswitch.</summary>
public sealed class ImportPresetRequest
{
    /// <summary>The folder of <c>*.yaml</c> presets; null for the original's default (see <see cref="DefaultSourceFolder"/>).</summary>
    public string? Path { get; init; }

    /// <summary>Replace presets that exist already instead of skipping them.</summary>
    public bool Force { get; init; }

    /// <summary>
    /// Where the original aiswitch keeps its presets: <c>$XDG_CONFIG_HOME/aiswitch/presets</c>, else
    /// <c>~/.config/aiswitch/presets</c> (on Windows <c>%APPDATA%\aiswitch\presets</c>).
    /// </summary>
    public static string DefaultSourceFolder(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows())
        {
            return System.IO.Path.Combine(profile, "AppData", "Roaming", "aiswitch", "presets");
        }

        var xdg = getVariable("XDG_CONFIG_HOME");
        var configRoot = string.IsNullOrEmpty(xdg) ? System.IO.Path.Combine(profile, ".config") : xdg;
        return System.IO.Path.Combine(configRoot, "aiswitch", "presets");
    }
}
