namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// Claude Code (agent-clis.md §1), one process per task: <c>claude -p --output-format stream-json --verbose</c> with the
/// prompt on stdin. Its long-lived mode is <see cref="ClaudeCodeSessionAdapter"/>. The base URL and key come from the
/// preset's ANTHROPIC_* variables in the invocation's environment. The cost is Claude Code's own estimate (CostSource.Agent).
/// </summary>
internal class ClaudeCodeAdapter : CliAgentAdapter
{
    public override string Name => AdapterNames.ClaudeCode;

    public override string DefaultCommand => "claude";

    /// <summary>No non-essential traffic (42 DNS lookups a run without it); no retries of its own (the scheduler retries Retryable results).</summary>
    public override IReadOnlyDictionary<string, string> QuietSettings { get; } = new Dictionary<string, string>
    {
        ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
        ["CLAUDE_CODE_MAX_RETRIES"] = "0",
    };

    protected internal override string DisplayName => "Claude Code";

    protected internal override string InstallHint => "install it with npm install -g @anthropic-ai/claude-code";

    protected internal override string ProtocolName => "stream-json events (claude -p --output-format stream-json --verbose)";

    public override async Task<AgentRunResult> RunAsync(AgentInvocation invocation, IAgentRunObserver observer, CancellationToken cancellationToken)
    {
        var arguments = OneShotArguments(invocation.Model, invocation.Task.SystemPrompt, ResumeSessionOf(invocation.Task));
        return await RunProcessAsync(invocation, arguments, EnvironmentOf(invocation.Environment), PromptOf(invocation.Task), new ClaudeStreamParser(), observer, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The arguments of one task's process; the prompt goes on stdin (no argv size limit, no leading-dash parsing).</summary>
    public static IReadOnlyList<string> OneShotArguments(string? model, string? systemPrompt, string? resumeSessionId)
    {
        List<string> arguments = ["-p", "--output-format", "stream-json", "--verbose"];
        AddCommon(arguments, model);
        if (!string.IsNullOrWhiteSpace(systemPrompt))
        {
            arguments.AddRange(["--append-system-prompt", systemPrompt]);
        }

        if (resumeSessionId is not null)
        {
            arguments.AddRange(["--resume", resumeSessionId]);
        }

        return arguments;
    }

    /// <summary>The arguments of the long-lived process: tasks come as user lines on stdin.</summary>
    public static IReadOnlyList<string> LongLivedArguments(string? model)
    {
        List<string> arguments = ["-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose"];
        AddCommon(arguments, model);
        return arguments;
    }

    internal ProcessLaunchRequest LongLivedRequest(AgentLaunch launch) => new()
    {
        AgentName = launch.Agent.Name,
        Adapter = Name,
        FileName = CommandOf(launch.Agent),
        Arguments = [.. launch.Agent.Arguments, .. LongLivedArguments(launch.Model)],
        Environment = EnvironmentOf(launch.Environment),
        WorkingDirectory = launch.WorkingDirectory,
        RedirectStdin = true,
    };

    private static void AddCommon(List<string> arguments, string? model)
    {
        if (!string.IsNullOrWhiteSpace(model))
        {
            arguments.AddRange(["--model", model]);
        }
    }
}
