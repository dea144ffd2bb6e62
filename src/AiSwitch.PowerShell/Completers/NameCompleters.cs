using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace AiSwitch.PowerShell.Completers;

/// <summary>
/// Tab completion of names from this runspace's session: case-insensitive prefix (or wildcard) match, quoted when
/// needed. A home folder that cannot be read offers nothing rather than failing the completion.
/// </summary>
public abstract class NameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IEnumerable<string> names;
        try
        {
            names = [.. Names(RunspaceSessions.Current, commandName, fakeBoundParameters)];
        }
        catch (Exception ex) when (ex is AiSwitchException or IOException or UnauthorizedAccessException)
        {
            names = [];
        }

        var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var pattern = new WildcardPattern(WildcardPattern.ContainsWildcardCharacters(typed) ? typed : typed + "*", WildcardOptions.IgnoreCase);
        foreach (var name in names.Distinct(StringComparer.OrdinalIgnoreCase).Where(pattern.IsMatch))
        {
            var text = name.IndexOfAny([' ', '\'', '"', '$', '`', '(', ')', ';', ',', '{', '}', '@', '#', '*']) >= 0
                ? "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'"
                : name;
            yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, name);
        }
    }

    protected abstract IEnumerable<string> Names(AiSession session, string commandName, IDictionary boundParameters);

    /// <summary>The one value given so far for a parameter, or null.</summary>
    protected static string? Bound(IDictionary boundParameters, string name) => boundParameters[name] switch
    {
        string one => one,
        string[] { Length: 1 } many => many[0],
        _ => null,
    };
}

/// <summary>Preset names.</summary>
public sealed class PresetNameCompleter : NameCompleter
{
    protected override IEnumerable<string> Names(AiSession session, string commandName, IDictionary boundParameters) => session.Presets.Names();
}

/// <summary>Agent names: built-in and registered.</summary>
public sealed class AgentNameCompleter : NameCompleter
{
    protected override IEnumerable<string> Names(AiSession session, string commandName, IDictionary boundParameters) => session.Agents.Names();
}

/// <summary>The adapters this build has.</summary>
public sealed class AdapterNameCompleter : NameCompleter
{
    protected override IEnumerable<string> Names(AiSession session, string commandName, IDictionary boundParameters) => AgentDoor.AdapterNames;
}

/// <summary>Environment targets: <c>session</c>, every agent, and agents with an environment record.</summary>
public sealed class EnvironmentAgentCompleter : NameCompleter
{
    protected override IEnumerable<string> Names(AiSession session, string commandName, IDictionary boundParameters)
        => [EnvironmentDoor.SessionTarget, .. session.Agents.Names(), .. session.Environments.AgentNames()];
}

/// <summary>
/// Snapshot ids of the target the command will look in: the bound -Agent's, else the session's; Get-AiEnvironmentSnapshot
/// without -Agent lists every target's, so it offers them all.
/// </summary>
public sealed class SnapshotIdCompleter : NameCompleter
{
    protected override IEnumerable<string> Names(AiSession session, string commandName, IDictionary boundParameters)
        => Bound(boundParameters, "Agent") is { } agent
            ? session.Environments.SnapshotIds(agent)
            : session.Environments.SnapshotIds(string.Equals(commandName, "Get-AiEnvironmentSnapshot", StringComparison.OrdinalIgnoreCase) ? null : EnvironmentDoor.SessionTarget);
}

/// <summary>Task ids of every session.</summary>
public sealed class TaskIdCompleter : NameCompleter
{
    protected override IEnumerable<string> Names(AiSession session, string commandName, IDictionary boundParameters) => session.Tasks.Get().Select(t => t.TaskId);
}

/// <summary>Lock names in the home folder.</summary>
public sealed class LockNameCompleter : NameCompleter
{
    protected override IEnumerable<string> Names(AiSession session, string commandName, IDictionary boundParameters) => session.Locks.Names();
}

/// <summary>Agents usage and quotas know: every agent, and those in the last week's ledger and quotas.</summary>
public sealed class UsageAgentCompleter : NameCompleter
{
    protected override IEnumerable<string> Names(AiSession session, string commandName, IDictionary boundParameters)
        => [.. session.Agents.Names(), .. session.Usage.KnownAgents()];
}

/// <summary>Import-AiTokenUsage's sources by agent name: claude, codex, gemini.</summary>
public sealed class UsageSourceCompleter : NameCompleter
{
    protected override IEnumerable<string> Names(AiSession session, string commandName, IDictionary boundParameters) => UsageDoor.ImportSources;
}

/// <summary>Models in the last week's ledger.</summary>
public sealed class UsageModelCompleter : NameCompleter
{
    protected override IEnumerable<string> Names(AiSession session, string commandName, IDictionary boundParameters) => session.Usage.KnownModels();
}
