namespace AiSwitch.Core.Agents;

/// <summary>Register-AiAgent / <c>aiswitch agents register</c>: a definition to add to config/agents.yaml.</summary>
public sealed class RegisterAgentRequest
{
    public required string Name { get; init; }

    public required string Adapter { get; init; }

    public string? Command { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    public string? Preset { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public int MaxConcurrency { get; init; } = 1;

    public string? WorkingDirectory { get; init; }

    public string? Model { get; init; }

    public TimeSpan? DefaultTimeout { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public RestartPolicy RestartPolicy { get; init; } = RestartPolicy.OnFailure;

    public int MaxRestarts { get; init; } = 3;

    /// <summary>Replace a user definition of the same name (a built-in one is always replaceable).</summary>
    public bool Force { get; init; }
}
