namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// Claude Code's long-lived mode (agent-clis.md §1.3): one <c>claude -p --input-format stream-json</c> process per
/// started agent, one user line per task (<see cref="ClaudeCodeSession"/>). Later turns skip the process start
/// (~12 ms instead of ~0.5 s). Register an agent with this adapter name to use it; <c>claude-code</c> is one process per task.
/// </summary>
internal sealed class ClaudeCodeSessionAdapter : ClaudeCodeAdapter, ILongLivedAgentAdapter
{
    public const string AdapterName = "claude-code-session";

    public override string Name => AdapterName;

    public override bool IsLongLived => true;

    public async Task<ILongLivedAgent> StartAsync(AgentLaunch launch, CancellationToken cancellationToken) =>
        await ClaudeCodeSession.StartAsync(this, launch, cancellationToken).ConfigureAwait(false);

    /// <summary>A task outside the registry's supervision: a session of its own, for this one task.</summary>
    public override async Task<AgentRunResult> RunAsync(AgentInvocation invocation, IAgentRunObserver observer, CancellationToken cancellationToken)
    {
        var launch = invocation.ToLaunch();
        await using var session = await ClaudeCodeSession.StartAsync(this, launch, cancellationToken).ConfigureAwait(false);
        return await session.RunAsync(invocation, observer, cancellationToken).ConfigureAwait(false);
    }
}
