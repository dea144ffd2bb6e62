using AiSwitch.Agent.Tests.Support;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Home;

namespace AiSwitch.Core.Tests.Agents.Adapters;

/// <summary>Launches for adapter tests: the parent's PATH, HOME and .NET location plus the variables a test gives, nothing else.</summary>
internal static class TestLaunches
{
    /// <summary>The reference agent as a jsonrpc agent definition (periodic metrics off, so only what a test asks for goes by).</summary>
    public static AgentDefinition ReferenceAgent(string name, int maxConcurrency = 1, params string[] extraArguments) => new()
    {
        Name = name,
        Adapter = AdapterNames.JsonRpc,
        Command = "dotnet",
        Arguments = [ReferenceAgentProcess.DllPath, "--metrics-ms", "0", .. extraArguments],
        MaxConcurrency = maxConcurrency,
    };

    /// <summary>
    /// A hostile jsonrpc agent: it answers the handshake, then writes requests for an unknown method as fast as it can
    /// and never reads another line, so every answer to it must wait in the coordinator.
    /// </summary>
    public static AgentDefinition FloodingAgent(string name) => new()
    {
        Name = name,
        Adapter = AdapterNames.JsonRpc,
        Command = "/bin/sh",
        Arguments = ["-c",
            "read -r _; " +
            $$$"""echo '{"jsonrpc":"2.0","id":1,"result":{"agent_id":"{{{name}}}","protocol_version":"1.0.0","supported_features":[]}}'; """ +
            """exec yes '{"jsonrpc":"2.0","id":7,"method":"no.such.method"}'"""],
    };

    public static AgentLaunch Launch(AgentDefinition agent, AiHome home, IProcessLauncher launcher, string? preset, IEnumerable<KeyValuePair<string, string>> variables, CoordinatorServices? coordinator = null)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "PATH", "HOME", "DOTNET_ROOT", "TMPDIR" })
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                environment[name] = value;
            }
        }

        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        Directory.CreateDirectory(home.Root);
        return new AgentLaunch
        {
            Agent = agent,
            Environment = environment,
            WorkingDirectory = home.Root,
            PresetName = preset,
            Home = home,
            Supervisor = launcher,
            Coordinator = coordinator,
        };
    }
}
