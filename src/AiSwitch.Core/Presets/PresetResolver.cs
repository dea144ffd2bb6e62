
namespace AiSwitch.Core.Presets;

/// <summary>Resolves a whole preset, all or nothing: the values to apply, or one error naming every reference that failed.</summary>
internal static class PresetResolver
{
    /// <summary>
    /// The preset's variables with <paramref name="overrides"/> laid over them (an override may add a variable),
    /// every reference resolved. Nothing is returned unless every reference resolves.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Resolve(
        PresetDefinition preset,
        IReferenceResolver resolver,
        IReadOnlyDictionary<string, string>? overrides = null)
        => ResolveAll(preset.Name, Raw(preset, overrides), resolver);

    /// <summary>
    /// The preset's variables with <paramref name="overrides"/> laid over them, as written: references stay references.
    /// What an agent's environment record keeps, so no resolved secret is written to AiSwitch's files.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Raw(PresetDefinition preset, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var raw = new SortedDictionary<string, string>(preset.Variables.ToDictionary(), StringComparer.Ordinal);
        foreach (var (name, value) in overrides ?? new Dictionary<string, string>())
        {
            PresetNames.ValidateVariableName(name, preset.Name);
            PresetReference.Validate(preset.Name, name, value);
            raw[name] = value;
        }

        return raw;
    }

    /// <summary>Resolves every value of <paramref name="raw"/> (written for preset <paramref name="presetName"/>), all or nothing.</summary>
    public static IReadOnlyDictionary<string, string> ResolveAll(string presetName, IReadOnlyDictionary<string, string> raw, IReferenceResolver resolver)
    {
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        var failures = new List<AiSwitchException>();
        foreach (var (name, value) in raw)
        {
            try
            {
                resolved[name] = resolver.Resolve(presetName, name, value);
            }
            catch (AiSwitchException ex) when (ex.Id == ErrorId.ReferenceUnresolved)
            {
                failures.Add(ex);
            }
        }

        return failures.Count switch
        {
            0 => resolved,
            1 => throw failures[0],
            _ => throw new AiSwitchException(ErrorId.ReferenceUnresolved,
                $"{failures.Count} references of preset '{presetName}' cannot be resolved; nothing was applied. "
                    + string.Join(" ", failures.Select(f => f.Message)),
                presetName, new AggregateException(failures))
            {
                Details = new Dictionary<string, string>
                {
                    ["preset"] = presetName,
                    ["variables"] = string.Join(",", failures.Select(f => f.Details?["variable"])),
                },
            },
        };
    }
}
