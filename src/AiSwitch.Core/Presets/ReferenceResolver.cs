using AiSwitch.Core.Home;
using System.Text;

namespace AiSwitch.Core.Presets;

/// <summary>Turns a preset value (a literal or a reference) into the value to apply.</summary>
internal interface IReferenceResolver
{
    /// <summary>
    /// The value of <paramref name="reference"/> for variable <paramref name="variableName"/> of preset
    /// <paramref name="presetName"/>. A literal comes back unchanged. Fails with <see cref="ErrorId.ReferenceUnresolved"/>.
    /// </summary>
    string Resolve(string presetName, string variableName, string reference);
}

/// <summary>
/// The default resolver: <c>env:NAME</c> from the given environment, <c>file:PATH</c> from disk (<c>~</c> expanded,
/// trailing newlines trimmed), <c>secret:[VAULT/]NAME</c> through <paramref name="secretLookup"/> (the PowerShell
/// front passes one that calls SecretManagement's Get-Secret; the CLI has none). Errors name the preset, the
/// variable and the reference, never a value.
/// </summary>
internal sealed class ReferenceResolver : IReferenceResolver
{
    /// <summary>A referenced file larger than this is refused: a variable holds a key or a URL, not a document.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    private readonly IProcessEnvironment _environment;
    private readonly Func<string, string?>? _secretLookup;

    public ReferenceResolver(IProcessEnvironment environment, Func<string, string?>? secretLookup = null)
    {
        _environment = environment;
        _secretLookup = secretLookup;
    }

    public string Resolve(string presetName, string variableName, string reference)
    {
        var parsed = PresetReference.Parse(reference);
        return parsed.Kind switch
        {
            ReferenceKind.Environment => FromEnvironment(presetName, variableName, reference, parsed.Target),
            ReferenceKind.File => FromFile(presetName, variableName, reference, parsed.Target),
            ReferenceKind.Secret => FromSecret(presetName, variableName, reference, parsed.Target),
            _ => reference,
        };
    }

    /// <summary><c>~</c> and <c>~/…</c> become the user's profile folder; the result is a full path.</summary>
    public static string ExpandPath(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
        {
            var profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            path = profile + path[1..];
        }

        return Path.GetFullPath(path);
    }

    private string FromEnvironment(string presetName, string variableName, string reference, string name)
        => _environment.Get(name) is { } value
            ? value
            : throw Unresolved(presetName, variableName, reference,
                $"the environment variable {name} is not set. Set it in this session first, or change {variableName} with Set-AiPreset");

    private static string FromFile(string presetName, string variableName, string reference, string target)
    {
        string path;
        try
        {
            path = ExpandPath(target);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Unresolved(presetName, variableName, reference, "its path is not a valid path. Fix the path with Set-AiPreset", ex);
        }

        try
        {
            if (FileKind.DescribeIfNotRegular(path) is { } kind)
            {
                throw Unresolved(presetName, variableName, reference,
                    $"'{path}' is {kind}, not a regular file; a file: reference reads only regular files (so never /dev/zero, a pipe or a folder). " +
                    "Point it at a file that holds only the value");
            }

            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw Unresolved(presetName, variableName, reference,
                    $"the file '{path}' does not exist. Create it (one line holding the value), or change {variableName} with Set-AiPreset");
            }

            if (info.Length > MaxFileBytes || ReadAtMost(path, MaxFileBytes) is not { } bytes)
            {
                throw Unresolved(presetName, variableName, reference,
                    $"the file '{path}' is more than the {MaxFileBytes} bytes a variable may take. Point it at a file that holds only the value");
            }

            var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetString(bytes);
            return text.TrimStart('\uFEFF').TrimEnd('\r', '\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unresolved(presetName, variableName, reference,
                $"the file '{path}' cannot be read ({ex.GetType().Name}). Check that it exists and is readable by you", ex);
        }
    }

    /// <summary>The file's bytes, or null when it holds more than <paramref name="limit"/> (it may grow after it was checked).</summary>
    private static byte[]? ReadAtMost(string path, int limit)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
        var buffer = new byte[Math.Min(limit + 1, Math.Max(stream.Length + 1, 4096))];
        var read = 0;
        while (true)
        {
            if (read == buffer.Length)
            {
                if (buffer.Length > limit)
                {
                    return null;
                }

                Array.Resize(ref buffer, Math.Min(limit + 1, buffer.Length * 2));
            }

            var count = stream.Read(buffer, read, buffer.Length - read);
            if (count == 0)
            {
                return buffer[..read];
            }

            read += count;
        }
    }

    private string FromSecret(string presetName, string variableName, string reference, string target)
    {
        if (_secretLookup is null)
        {
            throw Unresolved(presetName, variableName, reference,
                "secret: references are read from SecretManagement vaults, which only PowerShell can reach. Apply the preset from PowerShell (Use-AiPreset), or use an env: or file: reference here");
        }

        string? value;
        try
        {
            value = _secretLookup(target);
        }
        catch (AiSwitchException)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw Unresolved(presetName, variableName, reference,
                $"SecretManagement could not read it ({ex.GetType().Name}). Check that Microsoft.PowerShell.SecretManagement is installed and the vault is registered and unlocked (Get-SecretVault, Unlock-SecretVault)", ex);
        }

        return value ?? throw Unresolved(presetName, variableName, reference,
            "no such secret was found. Add it with Set-Secret, or check the name with Get-SecretInfo");
    }

    private static AiSwitchException Unresolved(string presetName, string variableName, string reference, string why, Exception? inner = null)
        => new(ErrorId.ReferenceUnresolved,
            $"Preset '{presetName}': {variableName} refers to '{reference}', but {why}.",
            presetName, inner)
        {
            Details = new Dictionary<string, string>
            {
                ["preset"] = presetName,
                ["variable"] = variableName,
                ["reference"] = reference,
            },
        };
}
