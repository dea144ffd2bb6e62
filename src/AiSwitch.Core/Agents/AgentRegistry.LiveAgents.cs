namespace AiSwitch.Core.Agents;

/// <content>
/// The registry's side of switching a live agent's environment (<see cref="AgentEnvironmentSwitcher"/>): which long-lived
/// agents run in this session, and the launch an agent would get now, built as for its next task.
/// </content>
internal sealed partial class AgentRegistry : ILiveAgentDirectory
{
    ILongLivedAgent? ILiveAgentDirectory.FindLive(string agentName)
    {
        if (!_instances.TryGetValue(agentName, out var instance))
        {
            return null;
        }

        lock (instance.Gate)
        {
            return instance.IsActive ? instance.Live : null;
        }
    }

    AgentLaunch ILiveAgentDirectory.LaunchFor(string agentName)
    {
        var instance = _instances[agentName];
        return PrepareLaunch(instance, instance.PresetOverride, instance.WorkingDirectory);
    }
}
