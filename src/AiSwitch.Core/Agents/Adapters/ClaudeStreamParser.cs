using System.Text;
using System.Text.Json;

namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// One turn of Claude Code's <c>--output-format stream-json --verbose</c> output (agent-clis.md §1.2). The turn ends
/// at the <c>result</c> line. <c>result.usage</c> covers this turn; <c>total_cost_usd</c> is cumulative for the process,
/// so a long-lived process passes the total after its previous turn and gets this turn's share.
/// </summary>
internal sealed class ClaudeStreamParser : AgentEventParser
{
    private readonly decimal _processCostBefore;
    private readonly StringBuilder _assistantText = new();
    private string? _sessionId;
    private string? _initModel;
    private string? _messageModel;
    private readonly List<string> _messageIds = [];
    private readonly Dictionary<string, TokenCounts> _messageUsage = new(StringComparer.Ordinal);
    private TurnOutcome? _outcome;

    /// <param name="processCostBefore">The process's <c>total_cost_usd</c> after its previous turn (0 for a new process).</param>
    public ClaudeStreamParser(decimal processCostBefore = 0)
    {
        _processCostBefore = processCostBefore;
    }

    public override string FinalEventName => "result";

    /// <summary>The process's cumulative <c>total_cost_usd</c> after this turn (the next turn's baseline).</summary>
    public decimal ProcessCostAfter { get; private set; }

    /// <summary>The request id of a <c>control_response</c> seen in this turn (an acknowledged interrupt).</summary>
    public string? LastControlResponseId { get; private set; }

    /// <summary>
    /// Before the <c>result</c> line (a turn stopped by a timeout or a cancellation), the usage is what the calls made so
    /// far reported: each assistant message's own usage, once per message. Its input and cache counts are final; its
    /// output count is what the provider had counted when the message started.
    /// </summary>
    public override TurnOutcome Outcome() => _outcome ?? new TurnOutcome
    {
        Tokens = _messageUsage.Values.Aggregate(TokenCounts.Zero, (sum, t) => new TokenCounts(sum.Input + t.Input, sum.Output + t.Output,
            sum.CacheRead + t.CacheRead, sum.CacheWrite + t.CacheWrite, 0, sum.CacheWrite1h + t.CacheWrite1h)),
        RequestIds = _messageIds,
        Text = _assistantText.ToString(),
        SessionId = _sessionId,
        Model = _messageModel ?? _initModel,
    };

    protected override LineEffect OnObject(JsonElement root)
    {
        var type = Str(root, "type");
        switch (type)
        {
            case "system":
                if (Str(root, "subtype") == "init")
                {
                    _sessionId = Str(root, "session_id") ?? _sessionId;
                    _initModel = RealModel(Str(root, "model")) ?? _initModel;
                }

                return new LineEffect(LineKind.Event, "system");
            case "assistant":
                return new LineEffect(LineKind.Event, "assistant", OnAssistant(Obj(root, "message")));
            case "result":
                _outcome = OnResult(root);
                Completed = true;
                return new LineEffect(LineKind.Final, "result");
            case "control_response":
                LastControlResponseId = Str(Obj(root, "response"), "request_id");
                return new LineEffect(LineKind.Event, type);
            case "user" or "stream_event" or "control_request" or "keep_alive" or "rate_limit_event":
                return new LineEffect(LineKind.Event, type);
            case null:
                return LineEffect.NotProtocol;
            default:
                // Newer versions add event types; they are still this protocol.
                return new LineEffect(LineKind.Event, type);
        }
    }

    private string? OnAssistant(JsonElement message)
    {
        _messageModel = RealModel(Str(message, "model")) ?? _messageModel;
        // One API call gives one message id, repeated on each of its content blocks.
        if (Str(message, "id") is { } id && RealModel(Str(message, "model")) is not null)
        {
            if (!_messageIds.Contains(id))
            {
                _messageIds.Add(id);
            }

            if (Obj(message, "usage") is { ValueKind: JsonValueKind.Object } usage)
            {
                _messageUsage[id] = Tokens(usage);
            }
        }

        if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var delta = new StringBuilder();
        foreach (var block in content.EnumerateArray())
        {
            if (Str(block, "type") == "text" && Str(block, "text") is { } text)
            {
                delta.Append(text);
            }
        }

        if (delta.Length == 0)
        {
            return null;
        }

        _assistantText.Append(delta);
        return delta.ToString();
    }

    private TurnOutcome OnResult(JsonElement result)
    {
        var isError = Bool(result, "is_error");
        var subtype = Str(result, "subtype") ?? "";
        var text = Str(result, "result");
        var success = !isError && subtype == "success";
        var usage = Obj(result, "usage");
        ProcessCostAfter = Cost(Decimal(result, "total_cost_usd")) ?? _processCostBefore;
        var error = success ? null : text ?? $"Claude Code ended the turn with '{subtype}'.";
        var status = Int(result, "api_error_status");
        return new TurnOutcome
        {
            Completed = true,
            Success = success,
            Text = text ?? _assistantText.ToString(),
            Error = error,
            Retryable = !success && (FailureClassifier.IsRetryableStatus(status) || FailureClassifier.IsRetryableMessage(error)),
            HttpStatus = status,
            AgentCode = success ? null : status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? (subtype is "success" or "" ? null : subtype),
            SessionId = Str(result, "session_id") ?? _sessionId,
            Model = _messageModel ?? SingleModelUsageKey(result) ?? _initModel,
            RequestIds = _messageIds,
            Tokens = Tokens(usage),
            CostUsd = result.TryGetProperty("total_cost_usd", out _) ? ProcessCostAfter - _processCostBefore : null,
        };
    }

    /// <summary>
    /// Claude's <c>input_tokens</c> leaves out the cache reads and writes, which AiSwitch's input includes; its
    /// <c>output_tokens</c> already includes thinking, which it does not report apart (so reasoning stays 0).
    /// </summary>
    internal static TokenCounts Tokens(JsonElement usage)
    {
        var cacheRead = Long(usage, "cache_read_input_tokens");
        var cacheWrite = Long(usage, "cache_creation_input_tokens");
        return new TokenCounts(
            Long(usage, "input_tokens") + cacheRead + cacheWrite,
            Long(usage, "output_tokens"),
            cacheRead,
            cacheWrite,
            Reasoning: 0,
            CacheWrite1h: Math.Min(cacheWrite, Long(Obj(usage, "cache_creation"), "ephemeral_1h_input_tokens")));
    }

    /// <summary>A model name, or null for the "&lt;synthetic&gt;" Claude Code puts on messages it made up itself (an error it reports).</summary>
    private static string? RealModel(string? model) => model is null || model.StartsWith('<') ? null : model;

    private static string? SingleModelUsageKey(JsonElement result)
    {
        var models = Obj(result, "modelUsage");
        if (models.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string? only = null;
        foreach (var model in models.EnumerateObject())
        {
            if (only is not null)
            {
                return null;
            }

            only = model.Name;
        }

        return RealModel(only);
    }
}
