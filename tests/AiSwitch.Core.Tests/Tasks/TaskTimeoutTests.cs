using AiSwitch.Core.Agents;
using AiSwitch.Core.Tasks;

namespace AiSwitch.Core.Tests.Tasks;

/// <summary>The timeout each attempt really gets: per call, else the agent's definition, else its adapter's default.</summary>
public sealed class TaskTimeoutTests
{
    private static readonly string[] Adapters = [AdapterNames.ClaudeCode, AdapterNames.Codex, AdapterNames.Gemini, AdapterNames.Anthropic, AdapterNames.JsonRpc];

    private static AgentDefinition Agent(string name, string adapter, TimeSpan? timeout = null) =>
        new() { Name = name, Adapter = adapter, MaxConcurrency = 4, DefaultTimeout = timeout };

    private static async Task<Dictionary<string, double>> TimeoutsSeen(InvokeTaskRequest request, params AgentDefinition[] agents)
    {
        var fakes = Adapters.Select(a => new FakeAdapter(a)).ToList();
        using var engine = new TaskEngineFixture(fakes, agents);
        var results = await engine.RunAsync(request);
        Assert.All(results, r => Assert.Equal(TaskState.Completed, r.Status));
        return fakes.SelectMany(f => f.Calls).ToDictionary(c => c.Agent.Name, c => c.Task.Timeout);
    }

    [Fact]
    public async Task Built_in_agents_get_their_adapters_default_not_the_wire_formats_30_seconds()
    {
        var seen = await TimeoutsSeen(
            new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["claude", "codex", "gemini", "api", "rpc"] },
            Agent("claude", AdapterNames.ClaudeCode), Agent("codex", AdapterNames.Codex), Agent("gemini", AdapterNames.Gemini),
            Agent("api", AdapterNames.Anthropic), Agent("rpc", AdapterNames.JsonRpc));

        Assert.Equal(1800, seen["claude"]);
        Assert.Equal(1800, seen["codex"]);
        Assert.Equal(1800, seen["gemini"]);
        Assert.Equal(600, seen["api"]);
        Assert.Equal(30, seen["rpc"]);   // seed 003's Task.timeout default: what a JSON-RPC agent expects when none is set
    }

    [Fact]
    public async Task The_agents_definition_and_then_the_call_override_the_default()
    {
        var agents = new[] { Agent("claude", AdapterNames.ClaudeCode), Agent("slow", AdapterNames.ClaudeCode, TimeSpan.FromHours(2)), Agent("rpc", AdapterNames.JsonRpc, TimeSpan.FromMinutes(5)) };

        var byDefinition = await TimeoutsSeen(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["claude", "slow", "rpc"] }, agents);
        var byCall = await TimeoutsSeen(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["claude", "slow", "rpc"], Timeout = TimeSpan.FromSeconds(45) }, agents);

        Assert.Equal((1800d, 7200d, 300d), (byDefinition["claude"], byDefinition["slow"], byDefinition["rpc"]));
        Assert.Equal((45d, 45d, 45d), (byCall["claude"], byCall["slow"], byCall["rpc"]));
    }
}
