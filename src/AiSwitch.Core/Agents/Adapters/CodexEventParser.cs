using System.Text.Json;

namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// Codex's <c>exec --json</c> output (agent-clis.md §2.2). The task ends at <c>turn.completed</c> or <c>turn.failed</c>.
/// <c>turn.completed.usage</c> is cumulative for the thread, so a resumed thread passes the cumulative figure after its
/// previous task and gets this task's share. Codex's <c>input_tokens</c> includes the cached ones; it is reported as
/// given, with <c>cached_input_tokens</c> as the cache reads (docs/adapters/codex.md).
/// </summary>
internal sealed class CodexEventParser : AgentEventParser
{
    private readonly TokenCounts _threadUsageBefore;
    private readonly string? _model;
    private string? _threadId;
    private string? _lastMessage;
    private string? _lastError;
    private TurnOutcome? _outcome;

    /// <param name="threadUsageBefore">The thread's cumulative usage after its previous task (zero for a new thread).</param>
    /// <param name="model">The model asked for with <c>-m</c>; <c>exec --json</c> does not print the one it used.</param>
    public CodexEventParser(TokenCounts threadUsageBefore = default, string? model = null)
    {
        _threadUsageBefore = threadUsageBefore;
        _model = model;
    }

    public override string FinalEventName => "turn.completed";

    /// <summary>The thread's cumulative usage after this task (the next task's baseline when the thread is resumed).</summary>
    public TokenCounts ThreadUsageAfter { get; private set; }

    public override TurnOutcome Outcome() => _outcome ?? new TurnOutcome
    {
        Text = _lastMessage ?? "",
        Error = _lastError,
        Retryable = FailureClassifier.IsRetryableMessage(_lastError),
        SessionId = _threadId,
        Model = _model,
    };

    protected override LineEffect OnObject(JsonElement root)
    {
        var type = Str(root, "type");
        switch (type)
        {
            case "thread.started":
                _threadId = Str(root, "thread_id");
                return new LineEffect(LineKind.Event, type);
            case "item.completed":
                return new LineEffect(LineKind.Event, type, OnItemCompleted(Obj(root, "item")));
            case "error":
                _lastError = Str(root, "message") ?? _lastError;
                return new LineEffect(LineKind.Event, type);
            case "turn.completed":
                _outcome = OnTurnCompleted(Obj(root, "usage"));
                Completed = true;
                return new LineEffect(LineKind.Final, type);
            case "turn.failed":
                var message = Str(Obj(root, "error"), "message") ?? _lastError ?? "Codex reported turn.failed without a message.";
                _outcome = new TurnOutcome
                {
                    Completed = true,
                    Text = _lastMessage ?? "",
                    Error = message,
                    Retryable = FailureClassifier.IsRetryableMessage(message),
                    SessionId = _threadId,
                    Model = _model,
                };
                Completed = true;
                return new LineEffect(LineKind.Final, type);
            case null:
                return LineEffect.NotProtocol;
            default:
                // turn.started, item.started, item.updated and event types newer versions add.
                return new LineEffect(LineKind.Event, type);
        }
    }

    private string? OnItemCompleted(JsonElement item)
    {
        if (Str(item, "type") != "agent_message")
        {
            // item type "error" is a warning (e.g. missing model metadata); the turn goes on.
            return null;
        }

        _lastMessage = Str(item, "text") ?? "";
        return _lastMessage;
    }

    private TurnOutcome OnTurnCompleted(JsonElement usage)
    {
        ThreadUsageAfter = new TokenCounts(
            Long(usage, "input_tokens"),
            Long(usage, "output_tokens"),
            Long(usage, "cached_input_tokens"),
            Long(usage, "cache_write_input_tokens"),
            Long(usage, "reasoning_output_tokens"));
        return new TurnOutcome
        {
            Completed = true,
            Success = true,
            Text = _lastMessage ?? "",
            SessionId = _threadId,
            Model = _model,
            Tokens = ThreadUsageAfter.Since(_threadUsageBefore),
        };
    }
}
