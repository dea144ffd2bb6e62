using AiSwitch.Core.Agents;
using AiSwitch.Core.Home;
using AiSwitch.Core.Usage;

namespace AiSwitch.Core.Tasks;

/// <summary>The session's quotas as the task engine's admission: an agent whose daily quota is spent gets no new attempt (QuotaExceeded).</summary>
internal sealed class QuotaAdmission(QuotaGuard quotas, CoordinatorLog? log = null) : ITaskAdmission
{
    public ValueTask AdmitAsync(AgentDefinition agent, string taskId, CancellationToken cancellationToken)
    {
        try
        {
            quotas.EnsureAvailable(agent.Name);
        }
        catch (AiSwitchException refused) when (refused.Id == ErrorId.QuotaExceeded)
        {
            log?.Write("quota.exceeded", ("agent", agent.Name), ("task_id", taskId), ("error_id", refused.Id.ToString()));
            throw;
        }

        return ValueTask.CompletedTask;
    }
}
