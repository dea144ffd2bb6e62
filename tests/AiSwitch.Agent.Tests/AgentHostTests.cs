using System.IO.Pipelines;
using AiSwitch.Agent.Tests.Examples;
using AiSwitch.Agent.Tests.Support;
using AiSwitch.Protocol;
using AiSwitch.Rpc;

namespace AiSwitch.Agent.Tests;

/// <summary>The SDK in-process over in-memory pipes, with the example agent of docs/agent-sdk.md and a refusing hook.</summary>
public sealed class AgentHostTests
{
    [Fact(Timeout = 60_000)]
    public async Task The_documented_example_agent_runs_tasks_under_the_switched_environment()
    {
        await using var host = InProcess.Start(new ShoutingAgent());
        var c = host.Coordinator;

        var hello = await c.InvokeAsync(AgentProtocol.AgentInitialize, new InitializeParams { AgentId = "shouter-1", ProtocolVersion = "1.0.0" }).Within();
        await c.InvokeAsync(AgentProtocol.EnvSwitch, new SwitchEnvParams { Preset = "big", Variables = new() { ["MODEL"] = "big-model" } }).Within();
        await c.InvokeAsync(AgentProtocol.TaskAssign, new AssignTaskParams { Task = Tasks.Make("t1", "quiet please") }).Within();
        await c.InvokeAsync(AgentProtocol.TaskAssign, new AssignTaskParams { Task = Tasks.Make("t2", "") }).Within();
        var loud = await c.InvokeAsync(AgentProtocol.TaskResult, new TaskResultParams { TaskId = "t1" }).Within();
        var empty = await c.InvokeAsync(AgentProtocol.TaskResult, new TaskResultParams { TaskId = "t2" }).Within();

        Assert.Equal("shouter-1", hello.AgentId);
        Assert.Equal("QUIET PLEASE", loud.Result);
        Assert.Equal("big-model", loud.TokensUsed?.Model);
        Assert.Equal(24, loud.TokensUsed?.TotalTokens);
        Assert.False(empty.Success);
        Assert.Contains("empty", empty.Error);
        Assert.Contains("shouting with big-model", host.Log.ToString());

        await c.DisposeAsync();
        Assert.Equal(0, await host.Exit.Within());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_hook_that_refuses_a_switch_leaves_the_environment_as_it_was()
    {
        await using var host = InProcess.Start(new PickyAgent());
        var c = host.Coordinator;
        await c.InvokeAsync(AgentProtocol.AgentInitialize, new InitializeParams { AgentId = "picky", ProtocolVersion = "1.0.0" }).Within();
        await c.InvokeAsync(AgentProtocol.EnvSwitch, new SwitchEnvParams { Preset = "good", Variables = new() { ["MODEL"] = "m1" } }).Within();

        var refused = await Assert.ThrowsAsync<AiSwitchException>(() => c.InvokeAsync(
            AgentProtocol.EnvSwitch, new SwitchEnvParams { Preset = "bad", Variables = new() { ["MODEL"] = "m2" } }).Within());
        await c.InvokeAsync(AgentProtocol.TaskAssign, new AssignTaskParams { Task = Tasks.Make("t", "which model?") }).Within();
        var result = await c.InvokeAsync(AgentProtocol.TaskResult, new TaskResultParams { TaskId = "t" }).Within();

        Assert.Equal((ErrorId.EnvironmentSwitchFailed, -40202), (refused.Id, refused.Code));
        Assert.Contains("presets named 'bad' are not allowed here", refused.Message);
        Assert.Contains("preset 'good'", refused.Message);
        Assert.Equal("m1", result.Result);
    }

    private sealed class PickyAgent : AgentBase
    {
        protected override Task<TaskOutput> ExecuteAsync(AgentTask task, TaskContext context, CancellationToken cancellationToken) =>
            Task.FromResult(TaskOutput.Succeeded(context.Environment["MODEL"] ?? "none"));

        protected override ValueTask OnEnvironmentSwitchingAsync(EnvironmentView current, EnvironmentView next, CancellationToken cancellationToken) =>
            next.Preset == "bad" ? throw new InvalidOperationException("presets named 'bad' are not allowed here.") : ValueTask.CompletedTask;
    }

    /// <summary>An agent served by <see cref="AgentHost.RunAsync(AgentBase, Stream, Stream, AgentHostOptions?, CancellationToken)"/> in this process.</summary>
    private sealed class InProcess : IAsyncDisposable
    {
        private InProcess(JsonRpcConnection coordinator, Task<int> exit, StringWriter log)
        {
            Coordinator = coordinator;
            Exit = exit;
            Log = log;
        }

        public JsonRpcConnection Coordinator { get; }

        public Task<int> Exit { get; }

        public StringWriter Log { get; }

        public static InProcess Start(AgentBase agent)
        {
            var toAgent = new Pipe();
            var toCoordinator = new Pipe();
            var log = new StringWriter();
            var options = new AgentHostOptions { HeartbeatInterval = TimeSpan.Zero, MetricsInterval = TimeSpan.Zero, Log = log };
            var exit = Task.Run(() => AgentHost.RunAsync(agent, toAgent.Reader.AsStream(), toCoordinator.Writer.AsStream(), options));
            var coordinator = new JsonRpcConnection(toCoordinator.Reader.AsStream(), toAgent.Writer.AsStream(), new JsonRpcConnectionOptions { PeerName = "in-process agent" });
            coordinator.Start();
            return new InProcess(coordinator, exit, log);
        }

        public async ValueTask DisposeAsync()
        {
            await Coordinator.DisposeAsync();
            await Exit.Within();
        }
    }
}
