using System.Text;
using System.Text.Json;

namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// Gemini CLI's <c>-o stream-json</c> output (agent-clis.md §3.2). The run ends at <c>result</c>; its <c>stats</c>
/// cover the run. A failure before the stream starts (auth, bad flags) is one object <c>{"session_id","error":{…}}</c>.
/// </summary>
internal sealed class GeminiStreamParser : AgentEventParser
{
    private readonly StringBuilder _text = new();
    private string? _sessionId;
    private string? _model;
    private string? _lastError;
    private TurnOutcome? _outcome;

    public override string FinalEventName => "result";

    public override TurnOutcome Outcome() => _outcome ?? new TurnOutcome
    {
        Text = _text.ToString(),
        Error = _lastError,
        Retryable = FailureClassifier.IsRetryableMessage(_lastError),
        SessionId = _sessionId,
        Model = _model,
    };

    protected override LineEffect OnObject(JsonElement root)
    {
        var type = Str(root, "type");
        switch (type)
        {
            case "init":
                _sessionId = Str(root, "session_id") ?? _sessionId;
                _model = Str(root, "model") ?? _model;
                return new LineEffect(LineKind.Event, type);
            case "message":
                if (Str(root, "role") == "assistant" && Str(root, "content") is { Length: > 0 } content)
                {
                    _text.Append(content);
                    return new LineEffect(LineKind.Event, type, content);
                }

                return new LineEffect(LineKind.Event, type);
            case "error":
                _lastError = Str(root, "message") ?? Str(Obj(root, "error"), "message") ?? _lastError;
                return new LineEffect(LineKind.Event, type);
            case "result":
                _outcome = OnResult(root);
                Completed = true;
                return new LineEffect(LineKind.Final, type);
            case null when Obj(root, "error").ValueKind == JsonValueKind.Object:
                _sessionId = Str(root, "session_id") ?? _sessionId;
                _outcome = Failed(Obj(root, "error"));
                Completed = true;
                return new LineEffect(LineKind.Final, "error");
            case null:
                return LineEffect.NotProtocol;
            default:
                // tool_use, tool_result and event types newer versions add.
                return new LineEffect(LineKind.Event, type);
        }
    }

    private TurnOutcome OnResult(JsonElement result)
    {
        if (Str(result, "status") != "success")
        {
            return Failed(Obj(result, "error"), Stats(Obj(result, "stats")));
        }

        return new TurnOutcome
        {
            Completed = true,
            Success = true,
            Text = _text.ToString(),
            SessionId = _sessionId,
            Model = _model,
            Tokens = Stats(Obj(result, "stats")),
        };
    }

    private TurnOutcome Failed(JsonElement error, TokenCounts tokens = default)
    {
        var message = Str(error, "message") ?? _lastError ?? "Gemini CLI reported an error without a message.";
        return new TurnOutcome
        {
            Completed = true,
            Text = _text.ToString(),
            Error = message,
            Retryable = FailureClassifier.IsRetryableStatus(Int(error, "code")) || FailureClassifier.IsRetryableMessage(message),
            SessionId = _sessionId,
            Model = _model,
            Tokens = tokens,
        };
    }

    /// <summary>
    /// <c>input_tokens</c> is the whole prompt (cached included) and <c>cached</c> the cached part; <c>output_tokens</c>
    /// the visible candidates only; the thoughts are what <c>total_tokens</c> holds beyond prompt and candidates. The
    /// thoughts are billed as output, so AiSwitch's output is candidates + thoughts, with the thoughts as reasoning.
    /// </summary>
    private static TokenCounts Stats(JsonElement stats)
    {
        var input = Long(stats, "input_tokens");
        var candidates = Long(stats, "output_tokens");
        var reasoning = Math.Max(0, Long(stats, "total_tokens") - input - candidates);
        return new TokenCounts(input, candidates + reasoning, Long(stats, "cached"), CacheWrite: 0, reasoning);
    }
}
