
namespace AiSwitch.Core.Agents;

/// <summary>
/// Finds an agent's command the way a shell would (a path as given, or a name searched on PATH, with PATHEXT on
/// Windows) and checks it can be executed. A missing command is AgentCommandNotFound, one that cannot be executed
/// AgentInitializationFailed; both name the agent and the fix.
/// </summary>
internal static class AgentCommands
{
    /// <summary>The full path of <paramref name="command"/>, or null when no executable file by that name is found.</summary>
    public static string? Find(string command, string? pathVariable)
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            return null;
        }

        if (HasDirectory(command))
        {
            var full = Path.GetFullPath(ExpandHome(command));
            return Candidates(full).FirstOrDefault(IsExecutableFile);
        }

        foreach (var directory in (pathVariable ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Path.IsPathFullyQualified(directory))
            {
                continue; // a relative PATH entry would make the result depend on the working directory
            }

            var found = Candidates(Path.Combine(directory, command)).FirstOrDefault(IsExecutableFile);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>
    /// The full path of the command an agent runs. Throws AgentCommandNotFound when it is missing, AgentInitializationFailed
    /// when it is not executable, naming the agent, what was searched, and <paramref name="installHint"/> (e.g. "npm install -g @openai/codex").
    /// </summary>
    public static string Resolve(string agentName, string adapter, string command, string? pathVariable, string? installHint = null)
    {
        if (Find(command, pathVariable) is { } found)
        {
            return found;
        }

        var registerFix = $"set its path with Register-AiAgent -Name {agentName} -Adapter {adapter} -Command <full path> -Force (aiswitch agents register {agentName} --adapter {adapter} --command <full path> --force)";
        var install = installHint is null ? string.Empty : installHint + ", or ";
        if (HasDirectory(command))
        {
            var full = Path.GetFullPath(ExpandHome(command));
            if (File.Exists(full))
            {
                throw new AiSwitchException(ErrorId.AgentInitializationFailed,
                    $"Agent '{agentName}' cannot start: '{full}' is not executable. Make it executable (chmod +x '{full}'), or {registerFix}.",
                    agentName);
            }

            throw new AiSwitchException(ErrorId.AgentCommandNotFound,
                $"Agent '{agentName}' cannot start: its command '{full}' does not exist. {Capitalize(install)}{registerFix}.",
                agentName);
        }

        var nonExecutable = (pathVariable ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(Path.IsPathFullyQualified)
            .Select(d => Path.Combine(d, command))
            .FirstOrDefault(File.Exists);
        if (nonExecutable is not null)
        {
            throw new AiSwitchException(ErrorId.AgentInitializationFailed,
                $"Agent '{agentName}' cannot start: '{nonExecutable}' is on PATH but is not executable. Make it executable (chmod +x '{nonExecutable}'), or {registerFix}.",
                agentName);
        }

        throw new AiSwitchException(ErrorId.AgentCommandNotFound,
            $"Agent '{agentName}' cannot start: command '{command}' was not found on PATH. {Capitalize(install)}{registerFix}.",
            agentName);
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static bool HasDirectory(string command)
        => command.Contains('/') || (OperatingSystem.IsWindows() && command.Contains('\\')) || command.StartsWith('~');

    private static string ExpandHome(string path)
        => path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : string.Empty)
            : path;

    private static IEnumerable<string> Candidates(string path)
    {
        if (!OperatingSystem.IsWindows() || Path.GetExtension(path).Length > 0)
        {
            yield return path;
        }
        else
        {
            // npm puts a Unix shell script beside claude.cmd; Windows can only run the one with an extension.
            var extensions = Environment.GetEnvironmentVariable("PATHEXT") ?? ".COM;.EXE;.BAT;.CMD";
            foreach (var extension in extensions.Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                yield return path + extension.ToLowerInvariant();
            }
        }
    }

    private static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }
}
