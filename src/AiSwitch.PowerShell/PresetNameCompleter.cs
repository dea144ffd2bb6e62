using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using AiSwitch.Core.Errors;
using AiSwitch.Core.Home;
using AiSwitch.Core.Presets;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell;

/// <summary>Tab completion of preset names: file names only, no file is read.</summary>
public sealed class PresetNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IReadOnlyList<string> names;
        try
        {
            names = new PresetStore(AiHome.FromEnvironment()).ListNames();
        }
        catch (Exception ex) when (ex is AiSwitchException or IOException or UnauthorizedAccessException)
        {
            names = [];
        }

        return NameCompletion.Complete(names, wordToComplete);
    }
}
