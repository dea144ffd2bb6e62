
namespace AiSwitch.Core.Presets;

internal enum ReferenceKind
{
    /// <summary>The value itself.</summary>
    Literal,
    /// <summary><c>env:NAME</c>: a variable of the environment the preset is applied from.</summary>
    Environment,
    /// <summary><c>file:PATH</c>: the content of a file, trailing newline trimmed.</summary>
    File,
    /// <summary><c>secret:NAME</c> or <c>secret:VAULT/NAME</c>: a SecretManagement secret (PowerShell only).</summary>
    Secret,
}

/// <summary>A preset value as written: a literal, or a reference resolved only when the preset is applied.</summary>
internal readonly record struct PresetReference(ReferenceKind Kind, string Target)
{
    public const string EnvironmentPrefix = "env:";
    public const string FilePrefix = "file:";
    public const string SecretPrefix = "secret:";

    public bool IsReference => Kind != ReferenceKind.Literal;

    public static PresetReference Parse(string value)
    {
        if (value.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
        {
            return new(ReferenceKind.Environment, value[EnvironmentPrefix.Length..]);
        }

        if (value.StartsWith(FilePrefix, StringComparison.Ordinal))
        {
            return new(ReferenceKind.File, value[FilePrefix.Length..]);
        }

        if (value.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return new(ReferenceKind.Secret, value[SecretPrefix.Length..]);
        }

        return new(ReferenceKind.Literal, value);
    }

    /// <summary>The value as it may be shown: the reference text, or the redacted literal.</summary>
    public static string Display(string variableName, string value)
        => Parse(value).IsReference ? value : Redaction.Redact(variableName, value);

    /// <summary>Checks a value's form when it is stored (not whether it resolves: that happens when it is applied).</summary>
    public static void Validate(string presetName, string variableName, string value)
    {
        if (value.Contains('\0'))
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                $"The value of {variableName} in preset '{presetName}' contains a NUL character, which no environment variable can hold. Remove it.",
                presetName);
        }

        var reference = Parse(value);
        var problem = reference.Kind switch
        {
            ReferenceKind.Environment when !PresetNames.IsValidVariableName(reference.Target)
                => $"'{reference.Target}' after env: is not a valid environment variable name",
            ReferenceKind.File when string.IsNullOrWhiteSpace(reference.Target)
                => "file: needs a path, for example file:~/.keys/openai",
            ReferenceKind.Secret when !IsValidSecretName(reference.Target)
                => "secret: needs a secret name or VAULT/NAME, for example secret:OpenAIKey",
            _ => null,
        };
        if (problem is not null)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                $"The reference '{value}' for {variableName} in preset '{presetName}' is malformed: {problem}.",
                presetName);
        }
    }

    /// <summary>Splits <c>VAULT/NAME</c>; the vault is null for a plain name.</summary>
    public static (string? Vault, string Name) SplitSecret(string target)
    {
        var slash = target.IndexOf('/');
        return slash < 0 ? (null, target) : (target[..slash], target[(slash + 1)..]);
    }

    private static bool IsValidSecretName(string target)
    {
        var (vault, name) = SplitSecret(target);
        return !string.IsNullOrWhiteSpace(name) && (vault is null || !string.IsNullOrWhiteSpace(vault)) && !name.Contains('/');
    }
}
