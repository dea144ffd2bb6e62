using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using AiSwitch.Core.Environments;
using AiSwitch.Core.Presets;

namespace AiSwitch.PowerShell.Completers;

/// <summary>Completes names from a list: case-insensitive prefix (or wildcard) match, quoted when needed.</summary>
internal static class NameCompletion
{
    public static IEnumerable<CompletionResult> Complete(IEnumerable<string> names, string? wordToComplete)
    {
        var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var pattern = new NamePattern(NamePattern.HasWildcards(typed) ? typed : typed + "*");
        foreach (var name in names.Where(pattern.IsMatch))
        {
            var text = name.IndexOfAny([' ', '\'', '"', '$', '`', '(', ')', ';', ',', '{', '}', '@', '#']) >= 0
                ? "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'"
                : name;
            yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, name);
        }
    }

    public static EnvironmentOperations Operations() => new(RunspaceSessions.For(Runspace.DefaultRunspace));
}

/// <summary>Agents with an environment record, and <c>session</c>.</summary>
public sealed class EnvironmentAgentCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
        => NameCompletion.Complete(NameCompletion.Operations().AgentNames().Prepend(EnvironmentNames.Session), wordToComplete);
}

/// <summary>Snapshot ids, of the -Agent already typed when there is one.</summary>
public sealed class SnapshotIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var agent = fakeBoundParameters["Agent"] switch
        {
            string one => one,
            string[] { Length: 1 } many => many[0],
            _ => null,
        };
        return NameCompletion.Complete(NameCompletion.Operations().SnapshotIds(agent), wordToComplete);
    }
}
