namespace AiSwitch.Core.Agents;

/// <summary>
/// The agents that work with no registration: claude, codex and gemini, found on PATH. A definition of the same
/// name in config/agents.yaml replaces the built-in one (to set a command path, a preset, a model…).
/// </summary>
internal static class BuiltInAgents
{
    public const string Source = AgentDefinition.BuiltInSource;

    public static IReadOnlyList<AgentDefinition> All { get; } =
    [
        Define("claude", AdapterNames.ClaudeCode, "claude"),
        Define("codex", AdapterNames.Codex, "codex"),
        Define("gemini", AdapterNames.Gemini, "gemini"),
    ];

    private static AgentDefinition Define(string name, string adapter, string command) => new()
    {
        Name = name,
        Adapter = adapter,
        Command = command,
        BuiltIn = true,
        Source = Source,
    };
}
