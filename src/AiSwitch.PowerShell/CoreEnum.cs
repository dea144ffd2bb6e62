namespace AiSwitch.PowerShell;

/// <summary>
/// Turns a [ValidateSet] string parameter into a Core enum. Cmdlet parameters cannot be typed with Core enums: PowerShell
/// loads the cmdlet types before OnImport routes AiSwitch.Core to dependencies/, and an enum-typed property's backing
/// field needs Core to load. The conversion runs in the cmdlet's body, which is compiled after import.
/// </summary>
internal static class CoreEnum
{
    public static T Parse<T>(string value) where T : struct, Enum => Enum.Parse<T>(value, ignoreCase: true);

    public static T? ParseOptional<T>(string? value) where T : struct, Enum => value is null ? null : Parse<T>(value);
}
