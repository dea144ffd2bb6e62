using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using AiSwitch.Core.Errors;
using AiSwitch.Core.Home;
using AiSwitch.Core.Usage;

namespace AiSwitch.PowerShell.Completion;

/// <summary>Tab completion of agent names for the usage cmdlets: those in the last week's ledger and in the quotas.</summary>
public sealed class UsageAgentCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        IReadOnlyList<string> names;
        try
        {
            names = UsageOperations.KnownAgents(AiHome.FromEnvironment());
        }
        catch (AiSwitchException)
        {
            names = [];
        }

        return names
            .Where(name => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(name => new CompletionResult(name.Contains(' ', StringComparison.Ordinal) || name == "*" ? "'" + name + "'" : name, name, CompletionResultType.ParameterValue, name));
    }
}
