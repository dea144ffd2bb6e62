using AiSwitch.Core.Agents;
using AiSwitch.Protocol;
using AiSwitch.Core.Tasks;

namespace AiSwitch.Core.Tests.Tasks;

public sealed class TaskPlannerTests
{
    [Fact]
    public void A_plan_reads_the_agent_definitions_once_however_many_tasks_and_agents_it_names()
    {
        using var engine = new TaskEngineFixture();
        var agents = new CountingAgents(engine.Operations.Agents);
        var request = new InvokeTaskRequest
        {
            Tasks = [new TaskSpec { Prompt = "p1" }, new TaskSpec { Prompt = "p2" }, new TaskSpec { Prompt = "p3", Agents = ["c"] }],
            Agents = ["a", "b"],
            Fallback = ["c"],
        };

        var units = TaskPlanner.Plan(request, agents, "t-plan");

        Assert.Equal(["t-plan.1.a", "t-plan.1.b", "t-plan.2.a", "t-plan.2.b", "t-plan.3"], units.Select(u => u.TaskId));
        Assert.Equal(1, agents.Reads);
    }

    /// <summary>Counts reads of Definitions (the registry reads its file on each one).</summary>
    private sealed class CountingAgents(ITaskAgents inner) : ITaskAgents
    {
        public int Reads { get; private set; }

        public IReadOnlyList<AgentDefinition> Definitions
        {
            get
            {
                Reads++;
                return inner.Definitions;
            }
        }

        public Task<AgentRunResult> RunAsync(AgentDefinition agent, AgentTask task, TaskRunPlace place, IAgentRunObserver observer, CancellationToken cancellationToken) =>
            inner.RunAsync(agent, task, place, observer, cancellationToken);
    }
}
