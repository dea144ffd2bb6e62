using AiSwitch.Core.Agents;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Usage;

namespace AiSwitch.Core.Tasks;

internal sealed partial class TaskOperations
{
    /// <summary>Where every attempt that reached a provider records its usage (state/tokens); null records nothing.</summary>
    public TokenLedger? Ledger { get; set; }

    /// <summary>
    /// Appends one ledger record for an attempt that got an answer (or a failure) back from its agent. The agent's own
    /// cost is kept; otherwise the ledger prices it (or records none, with one warning per unknown model). A ledger
    /// that cannot be written is a warning, never the task's failure.
    /// </summary>
    /// <param name="status">"timeout" or "cancelled" for an attempt stopped before its end (with the usage reported until then).</param>
    private void RecordUsage(TaskUnit unit, AgentDefinition agent, AgentRunResult run, TaskAttemptInfo info, TaskMode mode, IOperationContext context, string? status)
    {
        if (Ledger is not { } ledger)
        {
            return;
        }

        var agentCost = run.CostSource == CostSource.Agent && run.CostUsd is not null;
        var record = new LedgerRecord
        {
            Time = info.CompletedAt,
            Agent = agent.Name,
            TaskId = unit.TaskId,
            Adapter = agent.Adapter,
            Preset = info.Preset,
            Model = run.Model ?? info.Model,
            TaskType = mode.ToString().ToLowerInvariant(),
            InputTokens = run.InputTokens,
            OutputTokens = run.OutputTokens,
            CacheReadTokens = run.CacheReadTokens,
            CacheWriteTokens = run.CacheWriteTokens,
            CacheWrite1hTokens = run.CacheWrite1hTokens,
            ReasoningTokens = run.ReasoningTokens,
            CostUsd = agentCost ? run.CostUsd : null,
            CostSource = agentCost ? CostSource.Agent : CostSource.None,
            SessionId = run.AgentSessionId,
            Status = status,
            Requests = Math.Max(1, run.RequestIds.Count),
            // Both ids let an import of the agent's own logs recognise these calls and skip them (no double counting).
            RequestId = run.RequestIds.Count == 0 ? null : string.Join(',', run.RequestIds),
        };
        if (record.Implausible() is { } problem)
        {
            context.WriteWarning(
                $"The usage report of task '{unit.TaskId}' was refused: {problem}. It is not in the token ledger, reports or quotas. " +
                $"Check agent '{agent.Name}' (its adapter or its provider) for a broken usage report.");
            return;
        }

        try
        {
            ledger.Append(UsageImporter.LessImported(ledger, record), context);
        }
        catch (Exception ex) when (ex is AiSwitchException or IOException or UnauthorizedAccessException)
        {
            context.WriteWarning(
                $"The usage of task '{unit.TaskId}' on agent '{agent.Name}' could not be written to the token ledger ({ledger.Directory}): {ex.Message} " +
                "Reports and quotas will not count it. Check that the folder is writable.");
        }
    }
}
