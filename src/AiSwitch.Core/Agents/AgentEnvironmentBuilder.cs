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
        var secrets = Secrets(presetName, presetVariables);
        foreach (var (name, value) in agent.Environment)
        {
            variables[name] = ResolveExtra(agent, name, value);
            if (PresetReference.Parse(value).IsReference || Redaction.Redact(name, value) != value)
            {
                secrets.Add(variables[name]);
            }
        }

        return new BuiltEnvironment(variables, presetName, agent.Model ?? ModelOf(agent.Adapter, variables), secrets);
    }

    /// <summary>
    /// The values of the preset layer to keep out of everything the agent says: all of them but the literals its preset
    /// shows as they are (a base URL, a model name). So a value from env:, file:, secret: or an override (--var), and a
    /// key written inline, are all secret, whatever the variable is called.
    /// </summary>
    private List<string> Secrets(string? presetName, IReadOnlyDictionary<string, string> values)
    {
        var shown = ShownLiterals(presetName);
        return [.. values.Where(v => !(shown.TryGetValue(v.Key, out var literal) && literal == v.Value)).Select(v => v.Value)];
    }

    // A preset that is gone or unreadable shows nothing, so every value of its layer counts as secret.
    private Dictionary<string, string> ShownLiterals(string? presetName)
    {
        if (presetName is null || !PresetNames.IsValidName(presetName))
        {
            return [];
        }

        try
        {
            return _presets.GetDefinition(presetName).Variables
                .Where(v => !PresetReference.Parse(v.Value).IsReference && Redaction.Redact(v.Key, v.Value) == v.Value)
                .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        }
        catch (AiSwitchException)
        {
            return [];
        }
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

        // Switch-AiEnvironment -Agent keeps the agent's variables as written (references unresolved) in a record; it wins
        // over the session's preset, and its references are resolved here, at each launch.
        if (EnvironmentNames.IsSafe(agent.Name) && AgentManagedEnvironment.File(_home, agent.Name).Read() is { } record)
        {
            return (record.Preset, PresetResolver.ResolveAll(record.Preset ?? agent.Name, record.Variables, _resolver));
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

/// <summary>An agent's environment, where its preset came from, and which of its values are secret (<see cref="SecretRedactor"/>).</summary>
internal sealed record BuiltEnvironment(IReadOnlyDictionary<string, string> Variables, string? PresetName, string? Model, IReadOnlyList<string> Secrets);
