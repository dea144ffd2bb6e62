namespace AiSwitch.Core.Environments;

/// <summary>
/// Builds the <see cref="EnvSnapshot"/> users see from a stored record. Redaction is deny-by-default: a value is
/// shown only when it is a literal of the snapshot's preset that the preset itself shows; everything else
/// (resolved references, overrides, the user's own variables, anything under a secret-like name) is masked.
/// </summary>
internal sealed class SnapshotDisplay(Func<string, IReadOnlyDictionary<string, string>?> shownLiterals, Func<string, string, string> mask)
{
    public const string UnsetMarker = "(unset)";

    private readonly Dictionary<string, IReadOnlyDictionary<string, string>?> _literals = new(StringComparer.Ordinal);

    public EnvSnapshot View(SnapshotRecord record)
    {
        var literals = record.PresetName is { } preset ? Literals(preset) : null;
        var shown = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in record.Variables)
        {
            shown[name] = literals is not null && literals.TryGetValue(name, out var literal) && literal == value
                ? value
                : mask(name, value);
        }

        foreach (var name in record.Unset)
        {
            shown[name] = UnsetMarker;
        }

        return new EnvSnapshot
        {
            SnapshotId = record.SnapshotId,
            Agent = record.Agent,
            Timestamp = record.Timestamp,
            PresetName = record.PresetName,
            Description = record.Description,
            VariableCount = record.Variables.Count,
            Checksum = record.Checksum,
            ChecksumValid = record.ChecksumMatches(),
            Variables = shown,
        };
    }

    private IReadOnlyDictionary<string, string>? Literals(string preset)
    {
        if (!_literals.TryGetValue(preset, out var literals))
        {
            literals = shownLiterals(preset);
            _literals[preset] = literals;
        }

        return literals;
    }
}
