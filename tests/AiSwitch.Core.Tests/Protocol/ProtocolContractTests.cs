using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using AiSwitch.Protocol;
using AiSwitch.Rpc;
using Xunit;

namespace AiSwitch.Core.Tests.Protocol;

/// <summary>The wire shapes of seed 003, member by member, in snake_case exactly.</summary>
public sealed class ProtocolContractTests
{
    private static readonly ProtocolJsonContext Json = ProtocolJsonContext.Default;
    private static readonly DateTimeOffset At = new(2024, 1, 1, 10, 0, 0, TimeSpan.Zero);

    private static void AssertRoundTrip<T>(string seedJson, JsonTypeInfo<T> typeInfo)
    {
        var value = JsonSerializer.Deserialize(seedJson, typeInfo)!;
        var written = JsonSerializer.Serialize(value, typeInfo);
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(seedJson), JsonNode.Parse(written)),
            $"Seed:    {seedJson}\nWritten: {written}");
    }

    private static string[] Members<T>(T value, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.SerializeToElement(value, typeInfo).EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    private static string[] Sorted(params string[] names) => names.Order(StringComparer.Ordinal).ToArray();

    private static AgentMetrics Metrics() => new()
    {
        AgentId = "claude-001",
        Timestamp = At,
        Status = AgentStatus.Busy,
        CpuPercent = 12.5,
        MemoryMb = 256,
        DiskIoKb = 3,
        NetworkIoKb = 4,
        ResponseTimeMs = 850,
        ErrorCount = 1,
        TaskCount = 7,
        UptimeSeconds = 3600,
    };

    [Theory]
    [InlineData("""{"snapshot_id":"before-switch","description":"切换前备份"}""")]
    public void The_env_snapshot_example_round_trips(string json) => AssertRoundTrip(json, Json.CreateSnapshotParams);

    [Fact]
    public void The_env_switch_and_rollback_examples_round_trip()
    {
        AssertRoundTrip("""{"preset":"openai-gpt4","create_snapshot":true}""", Json.SwitchEnvParams);
        AssertRoundTrip("""{"snapshot_id":"before-switch"}""", Json.RollbackParams);
    }

    [Fact]
    public void The_metrics_query_and_tokens_summary_examples_round_trip()
    {
        AssertRoundTrip(
            """{"agent_id":"claude-001","start_time":"2024-01-01T10:00:00Z","end_time":"2024-01-01T11:00:00Z","metric_types":["cpu_percent","memory_mb","response_time_ms"],"aggregation":"avg","interval":300}""",
            Json.QueryMetricsParams);
        AssertRoundTrip("""{"agent_id":"claude-001","timeframe":"day"}""", Json.TokenSummaryParams);
    }

    [Fact]
    public void The_agent_initialize_example_round_trips()
    {
        AssertRoundTrip(
            """{"agent_id":"claude-001","protocol_version":"1.0.0","supported_features":["env_switching","metrics_reporting"]}""",
            Json.InitializeParams);
    }

    [Fact]
    public void Task_has_the_seed_members_and_defaults()
    {
        var task = JsonSerializer.Deserialize("""{"id":"task-001","prompt":"写一个Python快速排序函数","max_tokens":1000,"temperature":0.7}""", Json.AgentTask)!;
        var full = new AgentTask
        {
            Id = "t", Prompt = "p", SystemPrompt = "s", MaxTokens = 1, Temperature = 0.5, Context = "c", CreatedAt = At,
            Metadata = new() { ["k"] = JsonSerializer.SerializeToElement(1, Json.Int32) },
        };

        Assert.Equal(30.0, task.Timeout);
        Assert.Equal(5, task.Priority);
        Assert.False(task.ChainMode);
        Assert.Empty(task.Metadata);
        Assert.Equal(
            Sorted("id", "prompt", "system_prompt", "max_tokens", "temperature", "timeout", "priority", "metadata", "created_at", "chain_mode", "context"),
            Members(full, Json.AgentTask));
    }

    [Fact]
    public void TaskResult_AgentMetrics_TokenUsage_and_EnvSnapshot_have_the_seed_members()
    {
        var usage = new TokenUsage
        {
            InputTokens = 10, OutputTokens = 5, TotalTokens = 15, CostUsd = 0.0012m, Model = "m",
            CacheReadTokens = 3, CacheWriteTokens = 0, ReasoningTokens = 2,
        };
        var result = new AgentTaskResult { TaskId = "t", Success = true, Result = "r", Error = "e", TokensUsed = usage, ExecutionTimeMs = 12, CompletedAt = At };
        var snapshot = new AgentEnvSnapshot
        {
            SnapshotId = "s", AgentId = "a", Timestamp = At, PresetName = "p", Checksum = "c",
            Variables = new() { ["OPENAI_BASE_URL"] = "http://127.0.0.1:1" },
        };

        Assert.Equal(Sorted("task_id", "success", "result", "error", "tokens_used", "execution_time_ms", "completed_at", "metadata"), Members(result, Json.AgentTaskResult));
        Assert.Equal(
            Sorted("agent_id", "timestamp", "status", "cpu_percent", "memory_mb", "disk_io_kb", "network_io_kb", "response_time_ms", "error_count", "task_count", "uptime_seconds"),
            Members(Metrics(), Json.AgentMetrics));
        Assert.Equal(
            Sorted("input_tokens", "output_tokens", "total_tokens", "cost_usd", "model", "cache_read_tokens", "cache_write_tokens", "reasoning_tokens"),
            Members(usage, Json.TokenUsage));
        Assert.Equal(Sorted("snapshot_id", "agent_id", "timestamp", "preset_name", "variables", "checksum"), Members(snapshot, Json.AgentEnvSnapshot));
    }

    [Fact]
    public void Optional_members_that_are_null_are_left_out()
    {
        var usage = new TokenUsage { InputTokens = 1, OutputTokens = 2, TotalTokens = 3 };

        Assert.Equal("""{"input_tokens":1,"output_tokens":2,"total_tokens":3}""", JsonSerializer.Serialize(usage, Json.TokenUsage));
    }

    [Fact]
    public void Timestamps_are_written_in_utc_with_a_z_and_read_from_any_iso_form()
    {
        var local = new AgentMetrics { AgentId = "a", Timestamp = new DateTimeOffset(2024, 1, 1, 10, 0, 0, TimeSpan.FromHours(2)) };
        var metrics = JsonSerializer.SerializeToElement(local, Json.AgentMetrics);
        var fromPython = JsonSerializer.Deserialize(
            """{"snapshot":{"snapshot_id":"s","agent_id":"a","preset_name":"p","checksum":"c"},"rolled_back_at":"2024-01-01T10:00:00.123456"}""",
            Json.AgentRollbackResult)!;
        var withOffset = JsonSerializer.Deserialize("""{"task_id":"t","assigned_at":"2024-01-01T12:00:00+02:00"}""", Json.AssignTaskResult)!;

        Assert.Equal("2024-01-01T08:00:00Z", metrics.GetProperty("timestamp").GetString());
        Assert.Equal(TimeSpan.Zero, fromPython.RolledBackAt.Offset);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 10, 0, 0, 123, TimeSpan.Zero).AddTicks(4560), fromPython.RolledBackAt);
        Assert.Equal(At, withOffset.AssignedAt);
    }

    [Fact]
    public void Enums_are_snake_case_strings_and_numbers_are_refused()
    {
        Assert.Equal(
            ["\"stopped\"", "\"starting\"", "\"running\"", "\"busy\"", "\"idle\"", "\"error\"", "\"stopping\""],
            Enum.GetValues<AgentStatus>().Select(s => JsonSerializer.Serialize(new HeartbeatParams { AgentId = "a", Status = s }, Json.HeartbeatParams))
                .Select(j => JsonDocument.Parse(j).RootElement.GetProperty("status").GetRawText()));
        Assert.Equal(
            ["pending", "assigned", "running", "completed", "failed", "cancelled", "timeout"],
            Enum.GetValues<AgentTaskStatus>().Select(s => JsonSerializer.SerializeToElement(new CancelTaskResult { TaskId = "t", Status = s }, Json.CancelTaskResult).GetProperty("status").GetString()));
        Assert.Equal(
            ["strict", "loose", "isolated"],
            Enum.GetValues<CoordinationMode>().Select(m => JsonSerializer.SerializeToElement(new AssignTaskParams { Task = new AgentTask { Id = "t", Prompt = "p" }, CoordinationMode = m }, Json.AssignTaskParams).GetProperty("coordination_mode").GetString()));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"agent_id":"a","status":2}""", Json.HeartbeatParams));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"agent_id":"a","status":"sleeping"}""", Json.HeartbeatParams));
    }

    [Fact]
    public void A_missing_required_member_is_refused_and_names_the_member()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"reason":"x"}""", Json.CancelTaskParams));

        Assert.Contains("task_id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_members_are_ignored()
    {
        var parsed = JsonSerializer.Deserialize("""{"task_id":"t","include_metadata":true,"future_field":{"x":[1]}}""", Json.TaskResultParams)!;

        Assert.Equal("t", parsed.TaskId);
        Assert.True(parsed.IncludeMetadata);
    }

    [Fact]
    public void There_are_22_methods_each_with_one_descriptor_of_the_same_name()
    {
        var descriptors = typeof(AgentProtocol).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Select(p => (string)p.PropertyType.GetProperty("Name")!.GetValue(p.GetValue(null))!)
            .Order(StringComparer.Ordinal)
            .ToList();
        var constants = typeof(ProtocolMethods).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(22, ProtocolMethods.All.Count);
        Assert.Equal(22, ProtocolMethods.All.Distinct().Count());
        Assert.Equal(ProtocolMethods.All.Order(StringComparer.Ordinal), constants);
        Assert.Equal(constants, descriptors);
        Assert.Contains("env.list_snapshots", constants);
    }

    [Fact]
    public void Every_params_and_result_type_round_trips_through_its_contract()
    {
        foreach (var property in typeof(AgentProtocol).GetProperties(BindingFlags.Public | BindingFlags.Static))
        {
            var descriptor = property.GetValue(null)!;
            foreach (var name in new[] { "ParamsTypeInfo", "ResultTypeInfo" })
            {
                var typeInfo = (JsonTypeInfo)descriptor.GetType().GetProperty(name)!.GetValue(descriptor)!;
                Assert.Same(ProtocolJsonContext.Default, typeInfo.OriginatingResolver);
                Assert.Equal(JsonTypeInfoKind.Object, typeInfo.Kind);
            }
        }
    }
}
