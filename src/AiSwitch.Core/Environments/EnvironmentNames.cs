using AiSwitch.Core.Locking;

namespace AiSwitch.Core.Environments;

/// <summary>
/// The names an environment operation takes: targets (<c>session</c> or an agent name) and snapshot ids.
/// Both become folder or file names under the home, so they follow the lock-name rules (<see cref="LockName.Rule"/>).
/// </summary>
internal static class EnvironmentNames
{
    /// <summary>The target name of the session's own environment (this runspace, or the CLI process).</summary>
    public const string Session = "session";

    public const int MaxLength = LockName.MaxLength;

    public static bool IsSession(string target) => string.Equals(target, Session, StringComparison.OrdinalIgnoreCase);

    /// <summary>Returns the target name to use: <c>session</c> for null or empty, else a validated agent name.</summary>
    public static string Target(string? target)
    {
        if (string.IsNullOrEmpty(target) || IsSession(target))
        {
            return Session;
        }

        Validate(target, "Agent name", $"'{Session}' for this session");
        return target;
    }

    public static string SnapshotId(string snapshotId)
    {
        Validate(snapshotId, "Snapshot id", "leave it out for a timestamp id");
        return snapshotId;
    }

    private static void Validate(string name, string what, string alternative)
    {
        if (!IsSafe(name))
        {
            throw new AiSwitchException(ErrorId.EnvironmentValidationFailed,
                $"{what} '{Printable(name)}' is not valid. Use {LockName.Rule}; or {alternative}.",
                Printable(name));
        }
    }

    public static bool IsSafe(string? name) => LockName.IsValid(name);

    /// <summary>A sortable default snapshot id for a moment: <c>yyyyMMdd-HHmmss-fff</c> in UTC.</summary>
    public static string TimestampId(DateTimeOffset moment)
        => moment.UtcDateTime.ToString("yyyyMMdd-HHmmss-fff", System.Globalization.CultureInfo.InvariantCulture);

    private static string Printable(string value) => Home.Printable.Name(value, MaxLength + 20);
}
