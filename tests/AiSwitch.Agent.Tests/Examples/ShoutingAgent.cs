using AiSwitch.Agent;
using AiSwitch.Protocol;

namespace AiSwitch.Agent.Tests.Examples;

// The complete minimal agent of docs/agent-sdk.md, kept here so that it compiles and is tested (AgentHostTests).

/// <summary>Answers every task with its prompt in capitals, naming the model its environment selects.</summary>
public sealed class ShoutingAgent : AgentBase
{
    protected override async Task<TaskOutput> ExecuteAsync(AgentTask task, TaskContext context, CancellationToken cancellationToken)
    {
        // The environment as it was when this task started; a later env.switch does not change it.
        var model = context.Environment["MODEL"] ?? "default-model";
        context.Log($"shouting with {model}");
        context.ReportProgress(50);

        // Real work goes here: call a model, run a CLI with context.Environment's variables… Honour the token.
        await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);

        if (task.Prompt.Length == 0)
        {
            return TaskOutput.Failed("The prompt is empty; there is nothing to shout.");
        }

        var usage = new TokenUsage
        {
            InputTokens = task.Prompt.Length,
            OutputTokens = task.Prompt.Length,
            TotalTokens = 2L * task.Prompt.Length,
            Model = model,
        };
        return TaskOutput.Succeeded(task.Prompt.ToUpperInvariant(), usage);
    }
}

/// <summary>The agent's entry point: serve it over stdin/stdout until agent.shutdown or the end of stdin.</summary>
public static class ShoutingAgentProgram
{
    // In the agent's own program this is Main (here the test host has the entry point).
    public static Task<int> Run() => AgentHost.RunAsync(new ShoutingAgent(), new AgentHostOptions { AgentId = "shouter" });
}
