using AiSwitch.Rpc;

namespace AiSwitch.Protocol;

/// <summary>
/// Every seed 003 method with its params and result contracts, for
/// <c>connection.InvokeAsync(AgentProtocol.TaskAssign, p, ct)</c> and <c>connection.AddMethod(AgentProtocol.TaskAssign, handler)</c>.
/// Methods without params take <see cref="EmptyParams"/>.
/// </summary>
public static class AgentProtocol
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    public static JsonRpcMethod<InitializeParams, InitializeResult> AgentInitialize { get; } =
        new(ProtocolMethods.AgentInitialize, Json.InitializeParams, Json.InitializeResult);

    public static JsonRpcMethod<ShutdownParams, ShutdownResult> AgentShutdown { get; } =
        new(ProtocolMethods.AgentShutdown, Json.ShutdownParams, Json.ShutdownResult);

    public static JsonRpcMethod<EmptyParams, StatusResult> AgentStatus { get; } =
        new(ProtocolMethods.AgentStatus, Json.EmptyParams, Json.StatusResult);

    public static JsonRpcMethod<RestartParams, RestartResult> AgentRestart { get; } =
        new(ProtocolMethods.AgentRestart, Json.RestartParams, Json.RestartResult);

    public static JsonRpcMethod<AssignTaskParams, AssignTaskResult> TaskAssign { get; } =
        new(ProtocolMethods.TaskAssign, Json.AssignTaskParams, Json.AssignTaskResult);

    public static JsonRpcMethod<CancelTaskParams, CancelTaskResult> TaskCancel { get; } =
        new(ProtocolMethods.TaskCancel, Json.CancelTaskParams, Json.CancelTaskResult);

    public static JsonRpcMethod<TaskStatusParams, TaskStatusResult> TaskStatus { get; } =
        new(ProtocolMethods.TaskStatus, Json.TaskStatusParams, Json.TaskStatusResult);

    public static JsonRpcMethod<TaskResultParams, AgentTaskResult> TaskResult { get; } =
        new(ProtocolMethods.TaskResult, Json.TaskResultParams, Json.AgentTaskResult);

    public static JsonRpcMethod<SwitchEnvParams, SwitchEnvResult> EnvSwitch { get; } =
        new(ProtocolMethods.EnvSwitch, Json.SwitchEnvParams, Json.SwitchEnvResult);

    public static JsonRpcMethod<CreateSnapshotParams, AgentEnvSnapshot> EnvSnapshot { get; } =
        new(ProtocolMethods.EnvSnapshot, Json.CreateSnapshotParams, Json.AgentEnvSnapshot);

    public static JsonRpcMethod<RollbackParams, AgentRollbackResult> EnvRollback { get; } =
        new(ProtocolMethods.EnvRollback, Json.RollbackParams, Json.AgentRollbackResult);

    public static JsonRpcMethod<EmptyParams, ListSnapshotsResult> EnvListSnapshots { get; } =
        new(ProtocolMethods.EnvListSnapshots, Json.EmptyParams, Json.ListSnapshotsResult);

    public static JsonRpcMethod<ReportMetricsParams, ReportMetricsResult> MetricsReport { get; } =
        new(ProtocolMethods.MetricsReport, Json.ReportMetricsParams, Json.ReportMetricsResult);

    public static JsonRpcMethod<QueryMetricsParams, QueryMetricsResult> MetricsQuery { get; } =
        new(ProtocolMethods.MetricsQuery, Json.QueryMetricsParams, Json.QueryMetricsResult);

    public static JsonRpcMethod<ReportTokenUsageParams, ReportTokenUsageResult> TokensUsage { get; } =
        new(ProtocolMethods.TokensUsage, Json.ReportTokenUsageParams, Json.ReportTokenUsageResult);

    public static JsonRpcMethod<TokenSummaryParams, TokenSummaryResult> TokensSummary { get; } =
        new(ProtocolMethods.TokensSummary, Json.TokenSummaryParams, Json.TokenSummaryResult);

    public static JsonRpcMethod<AcquireLockParams, AcquireLockResult> CoordinationLock { get; } =
        new(ProtocolMethods.CoordinationLock, Json.AcquireLockParams, Json.AcquireLockResult);

    public static JsonRpcMethod<ReleaseLockParams, ReleaseLockResult> CoordinationUnlock { get; } =
        new(ProtocolMethods.CoordinationUnlock, Json.ReleaseLockParams, Json.ReleaseLockResult);

    public static JsonRpcMethod<HeartbeatParams, HeartbeatResult> CoordinationHeartbeat { get; } =
        new(ProtocolMethods.CoordinationHeartbeat, Json.HeartbeatParams, Json.HeartbeatResult);

    public static JsonRpcMethod<SubscribeParams, SubscribeResult> EventSubscribe { get; } =
        new(ProtocolMethods.EventSubscribe, Json.SubscribeParams, Json.SubscribeResult);

    public static JsonRpcMethod<UnsubscribeParams, UnsubscribeResult> EventUnsubscribe { get; } =
        new(ProtocolMethods.EventUnsubscribe, Json.UnsubscribeParams, Json.UnsubscribeResult);

    public static JsonRpcMethod<PublishEventParams, PublishEventResult> EventPublish { get; } =
        new(ProtocolMethods.EventPublish, Json.PublishEventParams, Json.PublishEventResult);
}
