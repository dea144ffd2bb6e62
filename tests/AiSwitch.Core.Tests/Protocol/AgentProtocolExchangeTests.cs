using System.Text.Json;
using AiSwitch.Protocol;
using AiSwitch.Core.Tests.Rpc;
using Xunit;

namespace AiSwitch.Core.Tests.Protocol;

/// <summary>
/// The example exchange of docs/protocol.md, run: a coordinator and an agent on one connection, each serving
/// its side's methods through the typed descriptors.
/// </summary>
public sealed class AgentProtocolExchangeTests
{
    [Fact]
    public async Task Handshake_task_metrics_and_env_switch_work_end_to_end()
    {
        var reported = new TaskCompletionSource<AgentMetrics>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pair = RpcPair.Create((coordinator, agent) =>
        {
            coordinator.AddMethod(AgentProtocol.MetricsReport, (p, _) =>
            {
                reported.TrySetResult(p.Metrics);
                return ValueTask.FromResult(new ReportMetricsResult { Accepted = true });
            });
            agent.AddMethod(AgentProtocol.AgentInitialize, (p, _) => ValueTask.FromResult(new InitializeResult
            {
                AgentId = p.AgentId,
                ProtocolVersion = ProtocolVersion.Negotiate(p, [ProtocolVersion.Current]).ToString(),
                SupportedFeatures = [ProtocolFeatures.EnvSwitching, ProtocolFeatures.MetricsReporting],
            }));
            agent.AddMethod(AgentProtocol.TaskAssign, async (p, ct) =>
            {
                await agent.InvokeAsync(AgentProtocol.MetricsReport, new ReportMetricsParams
                {
                    Metrics = new AgentMetrics { AgentId = "claude-001", Status = AgentStatus.Busy, TaskCount = 1 },
                }, ct);
                return new AssignTaskResult { TaskId = p.Task.Id };
            });
            agent.AddMethod(AgentProtocol.EnvSwitch, (p, _) => ValueTask.FromResult(new SwitchEnvResult
            {
                PreviousPreset = "anthropic-claude-sonnet",
                CurrentPreset = p.Preset,
                SnapshotId = p.CreateSnapshot == true ? "snap-1" : null,
            }));
            agent.AddMethod(AgentProtocol.TaskStatus, (p, _) =>
                throw new AiSwitchException(ErrorId.TaskNotFound, $"Task '{p.TaskId}' not found.", p.TaskId));
        });
        var coordinator = pair.Client;

        var hello = await coordinator.InvokeAsync(AgentProtocol.AgentInitialize, new InitializeParams
        {
            AgentId = "claude-001",
            ProtocolVersion = "1.0.0",
            SupportedFeatures = [ProtocolFeatures.EnvSwitching, ProtocolFeatures.MetricsReporting],
        }).Within();
        var assigned = await coordinator.InvokeAsync(AgentProtocol.TaskAssign, new AssignTaskParams
        {
            Task = new AgentTask { Id = "task-001", Prompt = "写一个Python快速排序函数", MaxTokens = 1000, Temperature = 0.7 },
            CoordinationMode = CoordinationMode.Loose,
        }).Within();
        var metrics = await reported.Task.Within();
        var switched = await coordinator.InvokeAsync(AgentProtocol.EnvSwitch, new SwitchEnvParams { Preset = "openai-gpt4", CreateSnapshot = true }).Within();
        var missing = await Assert.ThrowsAsync<AiSwitchException>(() => coordinator.InvokeAsync(AgentProtocol.TaskStatus, new TaskStatusParams { TaskId = "task-404" }).Within());

        Assert.Equal("1.0.0", hello.ProtocolVersion);
        Assert.Equal("task-001", assigned.TaskId);
        Assert.Equal(AgentStatus.Busy, metrics.Status);
        Assert.Equal("openai-gpt4", switched.CurrentPreset);
        Assert.Equal("snap-1", switched.SnapshotId);
        Assert.Equal(ErrorId.TaskNotFound, missing.Id);
        Assert.Equal(-40101, missing.Code);
    }

    [Fact]
    public async Task A_method_without_params_is_called_with_empty_params()
    {
        await using var pair = RpcPair.Create((_, agent) => agent.AddMethod(AgentProtocol.EnvListSnapshots, (p, _) =>
            ValueTask.FromResult(new ListSnapshotsResult { TotalCount = p is null ? -1 : 0 })));

        var list = await pair.Client.InvokeAsync(AgentProtocol.EnvListSnapshots, EmptyParams.Instance).Within();

        Assert.Equal(0, list.TotalCount);
        Assert.Empty(list.Snapshots);
    }

    [Fact]
    public async Task A_version_the_agent_cannot_speak_fails_initialize_with_the_mismatch_id()
    {
        await using var pair = RpcPair.Create((_, agent) => agent.AddMethod(AgentProtocol.AgentInitialize, (p, _) => ValueTask.FromResult(new InitializeResult
        {
            AgentId = p.AgentId,
            ProtocolVersion = ProtocolVersion.Negotiate(p, [ProtocolVersion.Current], "the coordinator").ToString(),
        })));

        var error = await Assert.ThrowsAsync<AiSwitchException>(() => pair.Client.InvokeAsync(AgentProtocol.AgentInitialize, new InitializeParams
        {
            AgentId = "a",
            ProtocolVersion = "2.0.0",
        }).Within());

        Assert.Equal(ErrorId.ProtocolVersionMismatch, error.Id);
        Assert.Contains("the coordinator speaks 2.0.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_params_object_missing_a_required_member_is_invalid_params_naming_it()
    {
        await using var peer = new RawPeer(c => c.AddMethod(AgentProtocol.TaskCancel, (p, _) =>
            ValueTask.FromResult(new CancelTaskResult { TaskId = p.TaskId, Status = AgentTaskStatus.Cancelled })));

        await peer.SendLineAsync("""{"jsonrpc":"2.0","id":1,"method":"task.cancel","params":{"reason":"user"}}""");
        var reply = await peer.ReadMessageAsync();

        Assert.Equal(-32602, reply.ErrorCode());
        Assert.Contains("task_id", reply.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("task.cancel", reply.GetProperty("error").GetProperty("data").GetProperty("method").GetString());
        Assert.Equal(JsonValueKind.Number, reply.GetProperty("id").ValueKind);
    }

    [Fact]
    public async Task Event_publish_can_go_as_a_notification()
    {
        var published = new TaskCompletionSource<PublishEventParams>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pair = RpcPair.Create((coordinator, _) => coordinator.AddMethod(AgentProtocol.EventPublish, (p, _) =>
        {
            published.TrySetResult(p);
            return ValueTask.FromResult(new PublishEventResult { Accepted = true });
        }));

        await pair.Server.NotifyAsync(AgentProtocol.EventPublish, new PublishEventParams
        {
            EventType = "task.completed",
            Data = JsonSerializer.SerializeToElement("task-001", ProtocolJsonContext.Default.JsonElement.Options),
            AgentId = "claude-001",
        });

        var received = await published.Task.Within();
        Assert.Equal("task.completed", received.EventType);
        Assert.Equal("task-001", received.Data.GetString());
    }
}
