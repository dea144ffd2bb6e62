using System.Text.Json;
using AiSwitch.Agent.Tests.Support;
using AiSwitch.Protocol;

namespace AiSwitch.Agent.Tests;

/// <summary>One session with the reference agent that puts every one of seed 003's 22 methods on the wire, checked on the wire.</summary>
public sealed class ProtocolCoverageTests
{
    private static readonly string[] AgentServed =
    [
        ProtocolMethods.AgentInitialize, ProtocolMethods.AgentStatus, ProtocolMethods.AgentRestart, ProtocolMethods.AgentShutdown,
        ProtocolMethods.TaskAssign, ProtocolMethods.TaskCancel, ProtocolMethods.TaskStatus, ProtocolMethods.TaskResult,
        ProtocolMethods.EnvSwitch, ProtocolMethods.EnvSnapshot, ProtocolMethods.EnvRollback, ProtocolMethods.EnvListSnapshots,
        ProtocolMethods.EventSubscribe, ProtocolMethods.EventUnsubscribe, ProtocolMethods.EventPublish,
    ];

    private static readonly string[] CoordinatorServed =
    [
        ProtocolMethods.MetricsReport, ProtocolMethods.MetricsQuery, ProtocolMethods.TokensUsage, ProtocolMethods.TokensSummary,
        ProtocolMethods.CoordinationLock, ProtocolMethods.CoordinationUnlock, ProtocolMethods.CoordinationHeartbeat, ProtocolMethods.EventPublish,
    ];

    [Fact(Timeout = 60_000)]
    public async Task Every_method_of_the_protocol_goes_over_the_pipe_in_its_direction()
    {
        await using var coordinator = CoordinatorSide.Start("--heartbeat-ms", "20", "--metrics-ms", "20");
        var c = coordinator.Connection;

        await coordinator.InitializeAsync();
        await c.InvokeAsync(AgentProtocol.AgentStatus, EmptyParams.Instance).Within();
        var subscription = await c.InvokeAsync(AgentProtocol.EventSubscribe, new SubscribeParams { EventTypes = ["*"] }).Within();
        await c.InvokeAsync(AgentProtocol.EventPublish, new PublishEventParams { EventType = "hello", Data = JsonSerializer.SerializeToElement(1) }).Within();
        await c.InvokeAsync(AgentProtocol.EnvSnapshot, new CreateSnapshotParams { SnapshotId = "s0" }).Within();
        await c.InvokeAsync(AgentProtocol.EnvSwitch, new SwitchEnvParams { Preset = "p1", Variables = new() { ["K"] = "v" } }).Within();
        await c.InvokeAsync(AgentProtocol.EnvListSnapshots, EmptyParams.Instance).Within();
        await c.InvokeAsync(AgentProtocol.EnvRollback, new RollbackParams { SnapshotId = "s0" }).Within();
        await coordinator.RunAsync("locked", metadata: new() { ["lock"] = "l", ["input_tokens"] = 1, ["output_tokens"] = 1 });
        await coordinator.RunAsync("metrics", metadata: new() { ["query"] = "metrics" });
        await coordinator.RunAsync("tokens", metadata: new() { ["query"] = "tokens" });
        await c.InvokeAsync(AgentProtocol.TaskStatus, new TaskStatusParams { TaskId = "locked" }).Within();
        var hung = coordinator.AssignAsync("hung", metadata: new() { ["hang"] = true });
        await c.InvokeAsync(AgentProtocol.TaskCancel, new CancelTaskParams { TaskId = "hung" }).Within();
        Assert.Equal(ErrorId.TaskCancelled, (await Assert.ThrowsAsync<AiSwitchException>(() => hung.Within())).Id);
        await coordinator.TokenReports.NextAsync();
        await coordinator.Heartbeats.NextAsync();
        await coordinator.MetricsReports.NextAsync();
        await coordinator.Events.NextAsync(e => e.EventType == "task.cancelled");
        await c.InvokeAsync(AgentProtocol.EventUnsubscribe, new UnsubscribeParams { SubscriptionId = subscription.SubscriptionId }).Within();
        await c.InvokeAsync(AgentProtocol.AgentRestart, new RestartParams { PreserveState = true }).Within();
        await c.InvokeAsync(AgentProtocol.AgentShutdown, new ShutdownParams()).Within();

        Assert.Empty(AgentServed.Except(coordinator.ToAgent.Methods.Keys));
        Assert.Empty(CoordinatorServed.Except(coordinator.FromAgent.Methods.Keys));
        Assert.Empty(ProtocolMethods.All.Except(coordinator.ToAgent.Methods.Keys.Union(coordinator.FromAgent.Methods.Keys)));
        Assert.Equal(22, ProtocolMethods.All.Count);
    }
}
