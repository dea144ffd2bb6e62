using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Errors;
using AiSwitch.Core.Home;

namespace AiSwitch.PowerShell.Completers;

/// <summary>Agent names: the built-ins and config/agents.yaml. A broken file completes nothing rather than failing Tab.</summary>
public sealed class AgentNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IReadOnlyList<string> names;
        try
        {
            names = [.. new AgentDefinitionStore(AiHome.FromEnvironment()).List().Select(a => a.Name)];
        }
        catch (Exception ex) when (ex is AiSwitchException or IOException or UnauthorizedAccessException)
        {
            names = [.. BuiltInAgents.All.Select(a => a.Name)];
        }

        return NameCompletion.Complete(names, wordToComplete);
    }
}

/// <summary>The adapter names a definition may use.</summary>
public sealed class AdapterNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
        => NameCompletion.Complete(Core.Agents.Adapters.AdapterCatalog.Default.KnownNames, wordToComplete);
}
