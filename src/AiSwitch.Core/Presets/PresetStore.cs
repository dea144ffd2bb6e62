using System.Runtime.CompilerServices;
using AiSwitch.Core.Home;
using AiSwitch.Core.Hosting;

namespace AiSwitch.Core.Presets;

/// <summary>
/// The presets: one YAML file per preset, <c>config/presets/&lt;name&gt;.yaml</c>, written atomically (0600).
/// Every read-modify-write holds the folder's file mutex, so concurrent sessions and processes lose nothing.
/// Reads take no lock: a file is always whole (atomic rename).
/// </summary>
internal sealed class PresetStore
{
    public const string Extension = ".yaml";

    private const string LockFileName = ".presets.lock";

    private readonly AiHome _home;
    private readonly TimeProvider _clock;

    public PresetStore(AiHome home, TimeProvider? clock = null)
    {
        _home = home;
        _clock = clock ?? TimeProvider.System;
    }

    public string Directory => _home.PresetsDir;

    /// <summary>The file a preset lives in (whether or not it exists).</summary>
    public string PathFor(string name) => Path.Combine(Directory, name + Extension);

    /// <summary>The names of the preset files, sorted; no file is read. For tab completion and suggestions.</summary>
    public IReadOnlyList<string> ListNames()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        return System.IO.Directory.EnumerateFiles(Directory, "*" + Extension)
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Where(PresetNames.IsValidName)
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>
    /// The presets whose names match <paramref name="namePattern"/> (wildcards; null for all), sorted by name.
    /// A malformed file never hides the others: it is reported to <paramref name="context"/> as a non-terminating error.
    /// </summary>
    public IReadOnlyList<Preset> List(string? namePattern = null, IOperationContext? context = null)
        => ListDefinitions(namePattern, context).Select(d => d.ToPreset()).ToList();

    /// <summary>Like <see cref="List"/>, with the raw values (for Core's own use).</summary>
    public IReadOnlyList<PresetDefinition> ListDefinitions(string? namePattern = null, IOperationContext? context = null)
    {
        var pattern = namePattern is null ? null : new NamePattern(namePattern);
        var found = new List<PresetDefinition>();
        if (!System.IO.Directory.Exists(Directory))
        {
            return found;
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*" + Extension).Order(StringComparer.OrdinalIgnoreCase))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (pattern is not null && !pattern.IsMatch(name))
            {
                continue;
            }

            try
            {
                if (!PresetNames.IsValidName(name))
                {
                    throw new AiSwitchException(ErrorId.InvalidPresetName,
                        $"The file '{file}' is not a valid preset file name, so it was skipped. Rename it to letters, digits, '-', '_' or '.' (up to {PresetNames.MaxNameLength}) followed by {Extension}.",
                        file);
                }

                if (Read(name) is { } parsed)
                {
                    WarnOnNameMismatch(parsed, context);
                    found.Add(parsed.Definition);
                }
            }
            catch (AiSwitchException ex)
            {
                context?.WriteError(ex);
            }
        }

        return found;
    }

    public Preset Get(string name) => GetDefinition(name).ToPreset();

    /// <summary>False when there is no such preset (or the name cannot be one); a malformed file still throws.</summary>
    public bool TryGet(string name, out Preset? preset)
    {
        preset = PresetNames.IsValidName(name) && Read(name) is { } parsed ? parsed.Definition.ToPreset() : null;
        return preset is not null;
    }

    /// <summary>The stored preset with its raw values. Throws PresetNotFound with the closest names.</summary>
    public PresetDefinition GetDefinition(string name)
    {
        PresetNames.ValidateName(name);
        return Read(name)?.Definition ?? throw NotFound(name);
    }

    public Preset Create(NewPresetRequest request)
    {
        PresetNames.ValidateName(request.Name);
        var variables = ValidVariables(request.Name, request.Variables);
        var now = _clock.GetUtcNow();
        var definition = new PresetDefinition
        {
            Name = request.Name,
            Description = request.Description ?? string.Empty,
            Variables = variables,
            Tags = CleanTags(request.Tags),
            CreatedAt = now,
            UpdatedAt = now,
            SourcePath = PathFor(request.Name),
        };

        using (Lock())
        {
            EnsureNameFree(request.Name, replacing: request.Force);

            Write(definition);
        }

        return definition.ToPreset();
    }

    public Preset Update(SetPresetRequest request)
    {
        PresetNames.ValidateName(request.Name);
        var added = ValidVariables(request.Name, request.Variables ?? new Dictionary<string, string>());
        using (Lock())
        {
            var current = Read(request.Name)?.Definition ?? throw NotFound(request.Name);
            var variables = new SortedDictionary<string, string>(current.Variables.ToDictionary(), StringComparer.Ordinal);
            foreach (var (name, value) in added)
            {
                variables[name] = value;
            }

            foreach (var name in request.RemoveVariables ?? [])
            {
                if (!variables.Remove(name))
                {
                    throw new AiSwitchException(ErrorId.InvalidArgument,
                        $"Preset '{request.Name}' has no variable '{name}' to remove. Its variables: {string.Join(", ", current.Variables.Keys)}.",
                        request.Name);
                }
            }

            var updated = new PresetDefinition
            {
                Name = current.Name,
                Description = request.Description ?? current.Description,
                Variables = variables,
                Tags = request.Tags is null ? current.Tags : CleanTags(request.Tags),
                CreatedAt = current.CreatedAt,
                UpdatedAt = _clock.GetUtcNow(),
                SourcePath = current.SourcePath,
                UnknownFields = current.UnknownFields,
            };
            Write(updated);
            return updated.ToPreset();
        }
    }

    public void Remove(string name)
    {
        PresetNames.ValidateName(name);
        using (Lock())
        {
            var path = PathFor(name);
            if (!File.Exists(path))
            {
                throw NotFound(name);
            }

            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw AtomicFile.StorageFailure(path, ex);
            }
        }
    }

    /// <summary>
    /// Imports the original aiswitch's presets, one result per file as soon as it is done. A preset that exists
    /// is skipped with a warning unless <see cref="ImportPresetRequest.Force"/>; a bad file is reported and skipped.
    /// Each import asks <see cref="IOperationContext.ShouldProcessAsync"/> first (-WhatIf imports nothing).
    /// </summary>
    public async IAsyncEnumerable<ImportPresetResult> ImportAsync(
        ImportPresetRequest request,
        IOperationContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var source = Path.GetFullPath(request.Path ?? ImportPresetRequest.DefaultSourceFolder());
        if (!System.IO.Directory.Exists(source))
        {
            throw new AiSwitchException(ErrorId.PresetImportSourceNotFound,
                $"There is no presets folder at '{source}'. Pass the folder that holds the original aiswitch's <name>.yaml presets with -Path (aiswitch preset import --path).",
                source);
        }

        var files = System.IO.Directory.EnumerateFiles(source, "*" + Extension).Order(StringComparer.OrdinalIgnoreCase).ToList();
        context.WriteVerbose($"Importing {files.Count} preset file(s) from '{source}'.");
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileNameWithoutExtension(file);
            if (!await context.ShouldProcessAsync(name, $"Import preset from '{file}'", cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            yield return ImportOne(file, name, request.Force, context);
        }
    }

    /// <summary>The synchronous form of <see cref="ImportAsync"/>, reporting to <paramref name="context"/> (nothing if null).</summary>
    public IReadOnlyList<ImportPresetResult> Import(ImportPresetRequest request, IOperationContext? context = null)
    {
        var results = new List<ImportPresetResult>();
        var items = ImportAsync(request, context ?? SilentOperationContext.Instance).GetAsyncEnumerator();
        try
        {
            // Nothing in the import awaits real I/O, so waiting here does not block on another thread.
            while (items.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                results.Add(items.Current);
            }
        }
        finally
        {
            items.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return results;
    }

    private ImportPresetResult ImportOne(string file, string name, bool force, IOperationContext context)
    {
        var destination = PresetNames.IsValidName(name) ? PathFor(name) : null;
        try
        {
            PresetNames.ValidateName(name);
            var parsed = PresetYaml.Parse(ReadBytes(file), file, name);
            WarnOnNameMismatch(parsed, context);
            var original = parsed.Definition;
            using (Lock())
            {
                var existed = File.Exists(destination);
                if (existed && !force)
                {
                    var message = $"Preset '{name}' exists already, so '{file}' was skipped. Use -Force (--force) to replace it.";
                    context.WriteWarning(message);
                    return Result(ImportStatus.Skipped, original.Variables.Count, message);
                }

                Write(new PresetDefinition
                {
                    Name = name,
                    Description = original.Description,
                    Variables = original.Variables,
                    Tags = original.Tags,
                    CreatedAt = original.CreatedAt ?? _clock.GetUtcNow(),
                    UpdatedAt = _clock.GetUtcNow(),
                    SourcePath = destination!,
                    UnknownFields = original.UnknownFields,
                });
                return Result(existed ? ImportStatus.Replaced : ImportStatus.Imported, original.Variables.Count, string.Empty);
            }
        }
        catch (AiSwitchException ex)
        {
            context.WriteError(ex);
            return Result(ImportStatus.Failed, 0, ex.Message);
        }

        ImportPresetResult Result(ImportStatus status, int count, string message) => new()
        {
            Name = name,
            Status = status,
            VariableCount = count,
            SourcePath = file,
            Destination = destination,
            Message = message,
        };
    }

    private PresetYaml.Parsed? Read(string name)
    {
        var path = PathFor(name);
        var bytes = AtomicFile.ReadOrNull(path);
        return bytes is null ? null : PresetYaml.Parse(bytes, path, name);
    }

    private static byte[] ReadBytes(string path)
        => AtomicFile.ReadOrNull(path) ?? throw new AiSwitchException(ErrorId.StorageError, $"'{path}' disappeared while it was being read. Try again.", path);

    private void Write(PresetDefinition definition) => AtomicFile.Write(PathFor(definition.Name), PresetYaml.Serialize(definition));

    private FileMutex Lock() => FileMutex.Acquire(Path.Combine(Directory, LockFileName));

    private void EnsureNameFree(string name, bool replacing)
    {
        var path = PathFor(name);
        if (File.Exists(path) && !replacing)
        {
            throw new AiSwitchException(ErrorId.PresetAlreadyExists,
                $"Preset '{name}' already exists ('{path}'). Change it with Set-AiPreset (aiswitch preset set), or replace it with New-AiPreset -Force (aiswitch preset add --force).",
                name);
        }

        // Names differing only in case would be one file on Windows and macOS: refuse them everywhere.
        var twin = ListNames().FirstOrDefault(n => n != name && string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        if (twin is not null)
        {
            throw new AiSwitchException(ErrorId.PresetAlreadyExists,
                $"Preset '{twin}' already exists and differs from '{name}' only in letter case. Use '{twin}', or pick another name.",
                name);
        }
    }

    private AiSwitchException NotFound(string name)
    {
        var known = ListNames();
        var closest = PresetNames.Closest(name, known);
        var hint = closest.Count > 0
            ? $" Did you mean {string.Join(", ", closest.Select(n => $"'{n}'"))}?"
            : known.Count == 0
                ? " There are no presets yet."
                : $" Known presets: {string.Join(", ", known.Take(10))}{(known.Count > 10 ? ", …" : string.Empty)}.";
        return new AiSwitchException(ErrorId.PresetNotFound,
            $"Preset '{name}' not found.{hint} Create it with New-AiPreset -Name {name} -Variable @{{...}} (aiswitch preset add {name} KEY=VALUE).",
            name);
    }

    private static SortedDictionary<string, string> ValidVariables(string presetName, IReadOnlyDictionary<string, string> variables)
    {
        var valid = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            PresetNames.ValidateVariableName(name, presetName);
            if (value is null)
            {
                throw new AiSwitchException(ErrorId.InvalidArgument,
                    $"{name} in preset '{presetName}' has no value. Give a value, \"\" for an empty one, or a reference such as env:{name}.",
                    presetName);
            }

            PresetReference.Validate(presetName, name, value);
            valid[name] = value;
        }

        return valid;
    }

    private static string[] CleanTags(IReadOnlyList<string>? tags)
        => [.. (tags ?? []).SelectMany(t => (t ?? string.Empty).Split(',')).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal)];

    private static void WarnOnNameMismatch(PresetYaml.Parsed parsed, IOperationContext? context)
    {
        if (parsed.DeclaredName is { } declared)
        {
            context?.WriteWarning(
                $"Preset file '{parsed.Definition.SourcePath}' says name '{declared}', but presets are named by their file: it is listed as '{parsed.Definition.Name}'. Rename the file, or fix its name field.");
        }
    }
}
