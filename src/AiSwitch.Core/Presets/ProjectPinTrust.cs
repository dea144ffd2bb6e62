using System.Text.Json.Serialization;
using AiSwitch.Core.Home;

namespace AiSwitch.Core.Presets;

/// <summary>One allowed pin: its full path and the digest of the content that was allowed.</summary>
internal sealed class AllowedPin
{
    public required string Path { get; init; }

    public required string Sha256 { get; init; }

    public required DateTimeOffset AllowedAt { get; init; }
}

internal sealed class AllowedPinsFile
{
    public List<AllowedPin> Pins { get; init; } = [];
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(AllowedPinsFile))]
internal sealed partial class ProjectPinJsonContext : JsonSerializerContext
{
}

/// <summary>
/// Which project pins may take effect, as direnv treats <c>.envrc</c>: a cloned repository's <c>.aiswitch.yaml</c> could
/// point a base URL at its own server and load a key file into a variable, so a pin applies only once the user has allowed
/// that exact content at that path (<c>state/allowed-pins.json</c>, 0600). Any change to the file needs allowing again.
/// </summary>
internal sealed class ProjectPinTrust(AiHome home, TimeProvider clock)
{
    private readonly JsonStateFile<AllowedPinsFile> _file = new(Path.Combine(home.StateDir, "allowed-pins.json"), ProjectPinJsonContext.Default.AllowedPinsFile);

    /// <summary>The pin at <paramref name="path"/> (a pin file, or a folder searched upward); NoProjectPin when there is none.</summary>
    public static ProjectPin Locate(string path)
    {
        var full = Path.GetFullPath(path);
        var pin = File.Exists(full)
            ? ProjectPin.Parse(AtomicFile.ReadOrNull(full) ?? [], full)
            : ProjectPin.Find(full);
        return pin ?? throw new AiSwitchException(ErrorId.NoProjectPin,
            $"No {ProjectPin.FileName} was found at '{full}' or above. Name the pin file, or a folder inside its project.", full);
    }

    public ProjectPinStatus Status(ProjectPin pin)
    {
        var allowed = Entry(pin);
        return new ProjectPinStatus
        {
            Path = pin.Path,
            Preset = pin.Preset,
            Allowed = allowed is not null,
            AllowedAt = allowed?.AllowedAt,
            Sha256 = pin.Sha256,
            Overrides = VariableMap.Shown(pin.ShownOverrides),
        };
    }

    /// <summary>Throws ProjectPinNotAllowed, saying what the pin would set and how to allow it, unless its content is allowed.</summary>
    public void Demand(ProjectPin pin)
    {
        if (Entry(pin) is not null)
        {
            return;
        }

        var known = _file.Read()?.Pins.Any(p => p.Path == pin.Path) == true;
        var sets = pin.ShownOverrides.Count == 0
            ? "no variables over the preset"
            : string.Join(", ", pin.ShownOverrides.Select(v => $"{v.Key}={v.Value}"));
        throw new AiSwitchException(ErrorId.ProjectPinNotAllowed,
            $"The project pin '{pin.Path}' {(known ? "has changed since you allowed it" : "is not allowed yet")}, so nothing was applied. "
            + $"It would apply preset '{Redaction.ForMessage(pin.Preset)}' and set {sets}. "
            + $"If you trust it, allow this content with: aiswitch pin allow '{pin.Path}' (PowerShell: Grant-AiProjectPin -Path '{pin.Path}'); "
            + "any later change needs allowing again. Or name a preset (aiswitch apply NAME, Use-AiPreset -Name NAME).",
            pin.Path)
        {
            Details = new Dictionary<string, string> { ["path"] = pin.Path, ["sha256"] = pin.Sha256, ["preset"] = pin.Preset },
        };
    }

    /// <summary>Allows the pin's current content (replacing what was allowed for its path before).</summary>
    public ProjectPinStatus Allow(ProjectPin pin)
    {
        _file.Update(current =>
        {
            var pins = (current?.Pins ?? []).Where(p => p.Path != pin.Path).ToList();
            pins.Add(new AllowedPin { Path = pin.Path, Sha256 = pin.Sha256, AllowedAt = clock.GetUtcNow() });
            return new AllowedPinsFile { Pins = [.. pins.OrderBy(p => p.Path, StringComparer.Ordinal)] };
        });
        return Status(pin);
    }

    /// <summary>Withdraws any allowance for the pin's path: it stops taking effect until allowed again.</summary>
    public ProjectPinStatus Deny(ProjectPin pin)
    {
        _file.Update(current => new AllowedPinsFile { Pins = [.. (current?.Pins ?? []).Where(p => p.Path != pin.Path)] });
        return Status(pin);
    }

    private AllowedPin? Entry(ProjectPin pin)
        => _file.Read()?.Pins.FirstOrDefault(p => p.Path == pin.Path && p.Sha256 == pin.Sha256);
}
