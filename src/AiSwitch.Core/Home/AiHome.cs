
namespace AiSwitch.Core.Home;

/// <summary>
/// The home folder (seed 001 layout): <c>~/.aiswitch</c>, or <c>AISWITCH_HOME</c> when set.
/// Folders are created 0700 on Unix; files written through <see cref="AtomicFile"/> are 0600.
/// </summary>
internal sealed class AiHome
{
    public const string HomeVariable = "AISWITCH_HOME";

    public AiHome(string root)
    {
        if (string.IsNullOrWhiteSpace(root))
        {
            throw new AiSwitchException(ErrorId.ConfigurationError,
                $"The AiSwitch home folder path is empty. Set {HomeVariable} to a folder path, or unset it to use ~/.aiswitch.");
        }

        Root = Path.GetFullPath(root);
    }

    /// <summary>The home folder for this process: <c>AISWITCH_HOME</c> if set, else <c>~/.aiswitch</c>.</summary>
    public static AiHome FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var overridden = getVariable(HomeVariable);
        if (!string.IsNullOrEmpty(overridden))
        {
            return new AiHome(overridden);
        }

        var profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrEmpty(profile))
        {
            throw new AiSwitchException(ErrorId.ConfigurationError,
                $"Cannot find the user profile folder for the default home ~/.aiswitch. Set {HomeVariable} to a folder path.");
        }

        return new AiHome(Path.Combine(profile, ".aiswitch"));
    }

    public string Root { get; }

    public string ConfigDir => Path.Combine(Root, "config");
    public string PresetsDir => Path.Combine(ConfigDir, "presets");
    public string LocksDir => Path.Combine(Root, "locks");
    public string StateDir => Path.Combine(Root, "state");
    public string LogsDir => Path.Combine(Root, "logs");
    public string TmpDir => Path.Combine(Root, "tmp");

    /// <summary>A folder under the home, created (0700) if missing.</summary>
    public string Ensure(string directory)
    {
        PrivateDirectory.Create(directory);
        return directory;
    }

    /// <summary>Creates the whole layout. Cheap when it exists already.</summary>
    public AiHome EnsureCreated()
    {
        foreach (var dir in new[] { Root, ConfigDir, LocksDir, StateDir, LogsDir, TmpDir })
        {
            PrivateDirectory.Create(dir);
        }

        return this;
    }

    public override string ToString() => Root;
}
