namespace AiSwitch.Core.Agents;

/// <summary>
/// How long one attempt of a task may run: the call's timeout (-Timeout, --timeout), else the agent definition's
/// (default_timeout), else its adapter's default. Seed 003's 30 s Task.timeout default is kept only for JSON-RPC
/// agents, whose wire format expects it when nothing is set; it is far too short for a coding agent's turn.
/// </summary>
internal static class TaskTimeouts
{
    /// <summary>Claude Code, Codex and Gemini CLI: a real coding task takes minutes.</summary>
    public static readonly TimeSpan CliAgent = TimeSpan.FromMinutes(30);

    /// <summary>One direct Anthropic or OpenAI call: the vendors' own SDKs wait 10 minutes for an answer.</summary>
    public static readonly TimeSpan HttpAgent = TimeSpan.FromMinutes(10);

    /// <summary>The attempt's limit, or null for a JSON-RPC (or unknown) adapter without one: the wire default applies.</summary>
    public static TimeSpan? Resolve(TimeSpan? perCall, AgentDefinition agent) => perCall ?? agent.DefaultTimeout ?? AdapterDefault(agent.Adapter);

    public static TimeSpan? AdapterDefault(string? adapter) => adapter?.ToLowerInvariant() switch
    {
        AdapterNames.ClaudeCode or AdapterNames.Codex or AdapterNames.Gemini => CliAgent,
        AdapterNames.Anthropic or AdapterNames.OpenAi => HttpAgent,
        _ => null,
    };
}
