using System.Text.Json;
using AiSwitch.Core.Home;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// What the Claude Code, Codex and Gemini CLI adapters share: finding the command, the task timeout, the child
/// environment (the invocation's, with the adapter's quiet settings and private config variables on top), the prompt
/// text, private folders under the home's tmp/, and the run through <see cref="CliTaskRunner"/>.
/// </summary>
internal abstract class CliAgentAdapter : IAgentAdapter
{
    /// <summary>The task metadata key that continues an agent session: the AgentSessionId of an earlier result.</summary>
    public const string ResumeSessionKey = "agentSessionId";

    public abstract string Name { get; }

    public abstract IReadOnlyDictionary<string, string> QuietSettings { get; }

    public virtual bool IsLongLived => false;

    public abstract string DefaultCommand { get; }

    string? IAgentAdapter.DefaultCommand => DefaultCommand;

    /// <summary>The agent as users know it ("Claude Code").</summary>
    protected internal abstract string DisplayName { get; }

    /// <summary>How to install the agent ("npm install -g @openai/codex").</summary>
    protected internal abstract string InstallHint { get; }

    /// <summary>What its stdout must carry ("stream-json events").</summary>
    protected internal abstract string ProtocolName { get; }

    public ValueTask<AgentReadiness> CheckAsync(AgentDefinition agent, CancellationToken cancellationToken)
    {
        try
        {
            var path = AgentCommands.Resolve(agent.Name, Name, CommandOf(agent), Environment.GetEnvironmentVariable("PATH"), InstallHint);
            return ValueTask.FromResult(AgentReadiness.Ready(path));
        }
        catch (AiSwitchException error)
        {
            return ValueTask.FromResult(AgentReadiness.NotReady(error));
        }
    }

    public abstract Task<AgentRunResult> RunAsync(AgentInvocation invocation, IAgentRunObserver observer, CancellationToken cancellationToken);

    /// <summary>Runs one process for the task: <paramref name="arguments"/> after the agent's own Arguments.</summary>
    private protected Task<AgentRunResult> RunProcessAsync(AgentInvocation invocation, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment, string? stdinText, AgentEventParser parser, IAgentRunObserver observer,
        CancellationToken cancellationToken)
    {
        var spec = new CliTaskSpec
        {
            Launch = new ProcessLaunchRequest
            {
                AgentName = invocation.Agent.Name,
                Adapter = Name,
                FileName = CommandOf(invocation.Agent),
                Arguments = [.. invocation.Agent.Arguments, .. arguments],
                Environment = environment,
                WorkingDirectory = invocation.WorkingDirectory,
                RedirectStdin = stdinText is not null,
            },
            StdinText = stdinText,
            DisplayName = DisplayName,
            ProtocolName = ProtocolName,
            Timeout = TimeoutOf(invocation),
            Launcher = invocation.Supervisor,
        };
        return CliTaskRunner.RunAsync(spec, parser, observer, cancellationToken);
    }

    internal string CommandOf(AgentDefinition agent) => string.IsNullOrWhiteSpace(agent.Command) ? DefaultCommand : agent.Command;

    /// <summary>The task's timeout (seconds, when positive; the engine sets it, see <see cref="TaskTimeouts"/>), else the agent's default, else 30 minutes.</summary>
    internal static TimeSpan TimeoutOf(AgentInvocation invocation) =>
        invocation.Task.Timeout > 0 ? TimeSpan.FromSeconds(invocation.Task.Timeout) : invocation.Agent.DefaultTimeout ?? TaskTimeouts.CliAgent;

    /// <summary>
    /// The invocation's environment with the quiet settings where the registry has not put them already, and the
    /// adapter's private variables (config folders) on top. Nothing comes from this process's own environment.
    /// </summary>
    private protected IReadOnlyDictionary<string, string> EnvironmentOf(IReadOnlyDictionary<string, string> given, IEnumerable<KeyValuePair<string, string>>? privateVariables = null)
    {
        var environment = new Dictionary<string, string>(given, StringComparer.Ordinal);
        foreach (var (name, value) in QuietSettings)
        {
            environment.TryAdd(name, value);
        }

        foreach (var (name, value) in privateVariables ?? [])
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>The value of the first of <paramref name="names"/> set (non-empty) in the invocation's environment.</summary>
    private protected static string? Variable(AgentInvocation invocation, params string[] names) =>
        names.Select(name => invocation.Environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null)
            .FirstOrDefault(value => value is not null);

    /// <summary>The prompt with the chain context (if any) before it.</summary>
    internal static string PromptOf(AgentTask task) =>
        string.IsNullOrWhiteSpace(task.Context) ? task.Prompt : $"{task.Context}\n\n{task.Prompt}";

    /// <summary>The agent session to continue (task metadata <c>agentSessionId</c>), if any.</summary>
    private protected static string? ResumeSessionOf(AgentTask task) =>
        task.Metadata.TryGetValue(ResumeSessionKey, out var value) && value.ValueKind == JsonValueKind.String
        && value.GetString() is { Length: > 0 } id
            ? id
            : null;

    /// <summary>A private folder of this agent under the home's tmp/ (0700), e.g. tmp/agents/codex/codex-home.</summary>
    private protected static string PrivateFolder(AiHome home, string agentName, string purpose) =>
        home.Ensure(Path.Combine(home.TmpDir, "agents", agentName, purpose));
}
