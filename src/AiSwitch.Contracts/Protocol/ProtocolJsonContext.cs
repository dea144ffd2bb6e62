using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiSwitch.Protocol;

/// <summary>
/// The source-generated contracts of every seed 003 payload: snake_case names, enums as snake_case strings,
/// timestamps in UTC, optional members left out when null.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(AgentTask))]
[JsonSerializable(typeof(AgentTaskResult))]
[JsonSerializable(typeof(AgentMetrics))]
[JsonSerializable(typeof(TokenUsage))]
[JsonSerializable(typeof(AgentEnvSnapshot))]
[JsonSerializable(typeof(EmptyParams))]
[JsonSerializable(typeof(InitializeParams))]
[JsonSerializable(typeof(InitializeResult))]
[JsonSerializable(typeof(ShutdownParams))]
[JsonSerializable(typeof(ShutdownResult))]
[JsonSerializable(typeof(RestartParams))]
[JsonSerializable(typeof(RestartResult))]
[JsonSerializable(typeof(StatusResult))]
[JsonSerializable(typeof(AssignTaskParams))]
[JsonSerializable(typeof(AssignTaskResult))]
[JsonSerializable(typeof(CancelTaskParams))]
[JsonSerializable(typeof(CancelTaskResult))]
[JsonSerializable(typeof(TaskStatusParams))]
[JsonSerializable(typeof(TaskStatusResult))]
[JsonSerializable(typeof(TaskResultParams))]
[JsonSerializable(typeof(SwitchEnvParams))]
[JsonSerializable(typeof(SwitchEnvResult))]
[JsonSerializable(typeof(CreateSnapshotParams))]
[JsonSerializable(typeof(RollbackParams))]
[JsonSerializable(typeof(AgentRollbackResult))]
[JsonSerializable(typeof(ListSnapshotsResult))]
[JsonSerializable(typeof(ReportMetricsParams))]
[JsonSerializable(typeof(ReportMetricsResult))]
[JsonSerializable(typeof(QueryMetricsParams))]
[JsonSerializable(typeof(QueryMetricsResult))]
[JsonSerializable(typeof(ReportTokenUsageParams))]
[JsonSerializable(typeof(ReportTokenUsageResult))]
[JsonSerializable(typeof(TokenSummaryParams))]
[JsonSerializable(typeof(TokenSummaryResult))]
[JsonSerializable(typeof(AcquireLockParams))]
[JsonSerializable(typeof(AcquireLockResult))]
[JsonSerializable(typeof(ReleaseLockParams))]
[JsonSerializable(typeof(ReleaseLockResult))]
[JsonSerializable(typeof(HeartbeatParams))]
[JsonSerializable(typeof(HeartbeatResult))]
[JsonSerializable(typeof(SubscribeParams))]
[JsonSerializable(typeof(SubscribeResult))]
[JsonSerializable(typeof(UnsubscribeParams))]
[JsonSerializable(typeof(UnsubscribeResult))]
[JsonSerializable(typeof(PublishEventParams))]
[JsonSerializable(typeof(PublishEventResult))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext
{
}
