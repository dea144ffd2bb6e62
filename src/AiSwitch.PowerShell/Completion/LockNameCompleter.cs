using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using AiSwitch.Core.Errors;
using AiSwitch.Core.Home;
using AiSwitch.Core.Locking;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Completion;

/// <summary>Tab completion of lock names: those with a lock file or owner records under the home's <c>locks/</c>.</summary>
public sealed class LockNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IReadOnlyList<string> names;
        try
        {
            names = LockOperations.KnownNames(AiHome.FromEnvironment());
        }
        catch (AiSwitchException)
        {
            names = []; // no usable home folder: nothing to offer
        }

        return NameCompletion.Complete(names, wordToComplete);
    }
}
