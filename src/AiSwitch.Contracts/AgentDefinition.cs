namespace AiSwitch;

/// <summary>
/// A named agent: which adapter drives it, the command it runs, its default preset and limits. Built-in
/// definitions (claude, codex, gemini) are part of AiSwitch; user ones from config/agents.yaml,
/// where a definition with a built-in's name overrides it.
/// </summary>
public sealed class AgentDefinition
{
    public required string Name { get; init; }

    /// <summary>The adapter's name (claude-code, codex, gemini, jsonrpc, anthropic, openai).</summary>
    public required string Adapter { get; init; }

    /// <summary>The executable (a name looked up on PATH, or a path); null means the adapter's default.</summary>
    public string? Command { get; init; }

    public string? Preset { get; init; }

    public string? WorkingDirectory { get; init; }

    public int MaxConcurrency { get; init; } = 1;

    public TimeSpan? DefaultTimeout { get; init; }

    public RestartPolicy RestartPolicy { get; init; } = RestartPolicy.OnFailure;

    public int MaxRestarts { get; init; } = 3;

    public string? Model { get; init; }

    /// <summary>Memory and CPU limits for the agent's processes (agents.yaml <c>limits:</c>); null: none.</summary>
    public AgentLimits? Limits { get; init; }

    public bool BuiltIn { get; init; }

    /// <summary>The file the definition came from, or "built-in".</summary>
    public string Source { get; init; } = BuiltInSource;

    /// <summary>The <see cref="Source"/> of a built-in definition.</summary>
    public const string BuiltInSource = "built-in";

    /// <summary>Arguments placed before the adapter's own.</summary>
    public IReadOnlyList<string> Arguments { get; init => field = NameList.Of(value); } = NameList.Empty;

    /// <summary>Capabilities, used by capability-based distribution.</summary>
    public IReadOnlyList<string> Tags { get; init => field = NameList.Of(value); } = NameList.Empty;

    /// <summary>Extra variables for the agent; values may be <c>env:NAME</c> / <c>file:PATH</c> references, or literals.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init => field = VariableMap.NamesOnly(value); } = VariableMap.Empty;

    public override string ToString() => Name;
}

/// <summary>Whether a long-lived agent that dies is started again.</summary>
// long-based so that ConvertTo-Json writes the name, not a number (see TaskState).
public enum RestartPolicy : long
{
    Never,
    OnFailure,
}
