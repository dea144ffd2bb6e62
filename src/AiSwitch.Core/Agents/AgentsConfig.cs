namespace AiSwitch.Core.Agents;

/// <summary>The content of config/agents.yaml: the user's agent definitions and the parent-environment allowlist.</summary>
internal sealed class AgentsConfig
{
    /// <summary>What a launched agent may take from the parent environment when the file names no list.</summary>
    public static IReadOnlyList<string> DefaultAllowlist { get; } = OperatingSystem.IsWindows()
        ? ["PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "LANG", "LC_*", "TZ", "TMPDIR", "TEMP", "TMP",
           "SYSTEMROOT", "SYSTEMDRIVE", "WINDIR", "COMSPEC", "PATHEXT", "APPDATA", "LOCALAPPDATA", "USERPROFILE", "USERNAME", "PROGRAMDATA"]
        : ["PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "LANG", "LC_*", "TZ", "TMPDIR", "TEMP", "TMP"];

    public static AgentsConfig Empty { get; } = new();

    public IReadOnlyList<AgentDefinition> Agents { get; init; } = [];

    /// <summary>Variable names (or NAME_* prefixes) passed from the parent; null means <see cref="DefaultAllowlist"/>.</summary>
    public IReadOnlyList<string>? EnvironmentAllowlist { get; init; }

    public IReadOnlyList<string> EffectiveAllowlist => EnvironmentAllowlist ?? DefaultAllowlist;
}
