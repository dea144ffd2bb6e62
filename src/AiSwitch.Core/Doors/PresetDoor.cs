using AiSwitch.Core.Hosting;
using AiSwitch.Core.Presets;

namespace AiSwitch.Core;

/// <summary>The presets door: named sets of environment variables in <c>config/presets/</c>, shown redacted.</summary>
public sealed class PresetDoor
{
    private readonly PresetStore _store;

    internal PresetDoor(AiSession session) => _store = new PresetStore(session.Home, session.Clock);

    /// <summary>Presets whose name matches <paramref name="pattern"/> (all when null); a malformed file is reported to the context and the rest listed.</summary>
    public IReadOnlyList<Preset> List(string? pattern = null, IOperationContext? context = null) => _store.List(pattern, context);

    /// <summary>One preset; PresetNotFound names the known ones.</summary>
    public Preset Get(string name) => _store.Get(name);

    public Preset Create(NewPresetRequest request) => _store.Create(request);

    public Preset Update(SetPresetRequest request) => _store.Update(request);

    public void Remove(string name) => _store.Remove(name);

    /// <summary>Imports the original Python aiswitch's presets, one result each as it is done.</summary>
    public IAsyncEnumerable<ImportPresetResult> ImportAsync(ImportPresetRequest request, IOperationContext context, CancellationToken cancellationToken = default)
        => _store.ImportAsync(request, context, cancellationToken);

    /// <summary>The names of the stored presets, sorted (tab completion).</summary>
    public IReadOnlyList<string> Names() => _store.ListNames();

    /// <summary>A <c>secret:</c> reference's target, <c>[VAULT/]NAME</c>, as its vault (null for the default one) and name.</summary>
    public static (string? Vault, string Name) SplitSecretReference(string target) => PresetReference.SplitSecret(target);

    /// <summary>Parses <c>NAME=VALUE</c> words (the CLI's form) into variables; a word without '=' is InvalidArgument.</summary>
    public static IReadOnlyDictionary<string, string> ParseAssignments(IEnumerable<string> words) => VariableAssignments.Parse(words);
}
