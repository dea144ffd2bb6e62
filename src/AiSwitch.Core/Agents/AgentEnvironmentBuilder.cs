using AiSwitch.Core.Environments;
using AiSwitch.Core.Home;
using AiSwitch.Core.Presets;

namespace AiSwitch.Core.Agents;

/// <summary>
/// Builds the complete environment of an agent's process, in layers, each laid over the one before:
/// 1. the parent's variables named by the allowlist (PATH, HOME, locale, temp folders…);
/// 2. the preset's resolved variables — the preset named for the task or at start, else the agent's environment record
///    (Switch-AiEnvironment -Agent), else the preset this session applied (Use-AiPreset: the variables it set, as they are
///    in the session now), else the definition's preset;
/// 3. the adapter's quiet settings;
/// 4. the agent's own extra variables (references resolved).
/// Nothing else of the parent reaches the agent: a key set in the parent or in another preset never leaks in.
/// </summary>
internal sealed class AgentEnvironmentBuilder
{
    private readonly AiHome _home;
    private readonly IProcessEnvironment _parent;
    private readonly PresetStore _presets;
    private readonly IReferenceResolver _resolver;

    public AgentEnvironmentBuilder(AiHome home, IProcessEnvironment parent, Func<string, string?>? secretLookup = null)
    {
        _home = home;
        _parent = parent;
        _presets = new PresetStore(home);
        _resolver = new ReferenceResolver(parent, secretLookup);
    }

    /// <summary>The environment for <paramref name="agent"/>; <paramref name="preset"/> (when given) wins over the agent's record, the session's preset and the definition's.</summary>
    public BuiltEnvironment Build(AgentDefinition agent, IReadOnlyDictionary<string, string> quietSettings, IReadOnlyList<string> allowlist, string? preset = null)
    {
        var comparer = OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var variables = new Dictionary<string, string>(FromParent(_parent.GetAll(), allowlist), comparer);

        var (presetName, presetVariables) = PresetLayer(agent, preset);
        Overlay(variables, presetVariables);
        Overlay(variables, quietSettings);
        foreach (var (name, value) in agent.Environment)
        {
            variables[name] = ResolveExtra(agent, name, value);
        }

        return new BuiltEnvironment(variables, presetName, agent.Model ?? ModelOf(agent.Adapter, variables));
    }

    /// <summary>The parent's variables whose names the allowlist admits (exact names, or prefixes written NAME_*).</summary>
    public static IReadOnlyDictionary<string, string> FromParent(IReadOnlyDictionary<string, string> parent, IReadOnlyList<string> allowlist)
    {
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return parent
            .Where(v => allowlist.Any(pattern => pattern.EndsWith('*')
                ? v.Key.StartsWith(pattern[..^1], comparison)
                : v.Key.Equals(pattern, comparison)))
            .ToDictionary(v => v.Key, v => v.Value);
    }

    /// <summary>The model variables each adapter's preset may carry, most specific first.</summary>
    private static string? ModelOf(string adapter, IReadOnlyDictionary<string, string> variables)
    {
        string[] names = adapter switch
        {
            AdapterNames.ClaudeCode or AdapterNames.Anthropic => ["ANTHROPIC_MODEL"],
            AdapterNames.Codex or AdapterNames.OpenAi => ["OPENAI_MODEL"],
            AdapterNames.Gemini => ["GEMINI_MODEL"],
            _ => [],
        };
        return names.Concat(["AISWITCH_MODEL", "MODEL"]).Select(variables.GetValueOrDefault).FirstOrDefault(v => !string.IsNullOrEmpty(v));
    }

    private (string? Name, IReadOnlyDictionary<string, string> Variables) PresetLayer(AgentDefinition agent, string? preset)
    {
        if (!string.IsNullOrEmpty(preset))
        {
            return (preset, PresetResolver.Resolve(_presets.GetDefinition(preset), _resolver));
        }

        // Switch-AiEnvironment -Agent keeps the agent's resolved variables in a record; it wins over the session's preset.
        if (EnvironmentNames.IsSafe(agent.Name) && AgentManagedEnvironment.File(_home, agent.Name).Read() is { } record)
        {
            return (record.Preset, record.Variables);
        }

        // Use-AiPreset set these in the session; they win over the definition's preset.
        if (SessionManagedEnvironment.Applied(_parent) is { } session)
        {
            return session;
        }

        return agent.Preset is { } defined
            ? (defined, PresetResolver.Resolve(_presets.GetDefinition(defined), _resolver))
            : (null, new Dictionary<string, string>());
    }

    private string ResolveExtra(AgentDefinition agent, string name, string value)
    {
        try
        {
            return _resolver.Resolve(agent.Name, name, value);
        }
        catch (AiSwitchException ex) when (ex.Id == ErrorId.ReferenceUnresolved)
        {
            throw new AiSwitchException(ErrorId.ReferenceUnresolved,
                $"Agent '{agent.Name}': its variable {name} refers to '{value}', which cannot be resolved. Set what it refers to, or change the agent's environment in '{agent.Source}'.",
                agent.Name, ex);
        }
    }

    private static void Overlay(Dictionary<string, string> target, IReadOnlyDictionary<string, string> layer)
    {
        foreach (var (name, value) in layer)
        {
            target[name] = value;
        }
    }
}

/// <summary>An agent's environment and where its preset came from. The values are real: never show or log them.</summary>
internal sealed record BuiltEnvironment(IReadOnlyDictionary<string, string> Variables, string? PresetName, string? Model);
