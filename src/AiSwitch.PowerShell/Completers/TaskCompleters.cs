using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using AiSwitch.Core.Tasks;

namespace AiSwitch.PowerShell.Completers;

/// <summary>Agent names the task engine knows (built-ins and config/agents.yaml).</summary>
public sealed class TaskAgentCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
        => NameCompletion.Complete(TaskOperations.For(RunspaceSessions.For(Runspace.DefaultRunspace)).Agents.Definitions.Select(d => d.Name), wordToComplete);
}

/// <summary>Task ids: this session's background tasks and every task in state/tasks.json.</summary>
public sealed class TaskIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
        => NameCompletion.Complete(TaskJobs.For(RunspaceSessions.For(Runspace.DefaultRunspace)).Get().Select(t => t.TaskId), wordToComplete);
}
