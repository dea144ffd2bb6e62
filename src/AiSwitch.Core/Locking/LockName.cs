using System.Buffers;

namespace AiSwitch.Core.Locking;

/// <summary>Lock names become file names under <c>locks/</c>, so only a safe, bounded alphabet is allowed.</summary>
internal static class LockName
{
    public const int MaxLength = 100;

    public const string Rule = "1-100 ASCII letters, digits, '-', '_' or '.', not starting with '.', without '..', and not a Windows device name (CON, NUL, COM1…)";

    // On Windows these open a device, not a file, whatever follows the first dot: a lock on one would exclude nothing.
    private static readonly HashSet<string> DeviceNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    public static bool IsValid(string? name) => Problem(name) is null;

    /// <summary>Returns <paramref name="name"/> when it is valid; otherwise InvalidLockName naming the value and the rule.</summary>
    public static string Validate(string? name)
    {
        if (Problem(name) is { } problem)
        {
            var shown = name is null ? "(null)" : $"'{Home.Printable.Name(name, MaxLength + 20)}'";
            throw new AiSwitchException(ErrorId.InvalidLockName,
                $"Lock name {shown} is not valid: {problem}. Use {Rule}, for example 'build' or 'deploy.prod'.",
                name);
        }

        return name!;
    }

    private static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "it is empty";
        }

        if (name.Length > MaxLength)
        {
            return $"it is {name.Length} characters long, more than {MaxLength}";
        }

        var bad = name.AsSpan().IndexOfAnyExcept(Allowed);
        if (bad >= 0)
        {
            return name[bad] is '/' or '\\'
                ? "it contains a path separator"
                : char.IsControl(name[bad])
                    ? $"it contains the control character U+{(int)name[bad]:X4}"
                    : $"it contains '{name[bad]}' (U+{(int)name[bad]:X4})";
        }

        if (name[0] == '.')
        {
            return "it starts with '.'";
        }

        if (name.Contains("..", StringComparison.Ordinal))
        {
            return "it contains '..'";
        }

        var stem = name.Split('.')[0];
        return DeviceNames.Contains(stem) ? $"'{stem}' is a device name on Windows" : null;
    }
}
