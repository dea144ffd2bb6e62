using AiSwitch.Core.Agents;
using AiSwitch.Core.Usage;

namespace AiSwitch.Core.Tasks;

/// <summary>The session's quotas as the task engine's admission: an agent whose daily quota is spent gets no new attempt (QuotaExceeded).</summary>
internal sealed class QuotaAdmission(QuotaGuard quotas) : ITaskAdmission
{
    public ValueTask AdmitAsync(AgentDefinition agent, string taskId, CancellationToken cancellationToken)
    {
        quotas.EnsureAvailable(agent.Name);
        return ValueTask.CompletedTask;
    }
}
