using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace AiSwitch.Core.Usage;

/// <summary>One model call found in an agent's own log, with the key that identifies it across files and imports.</summary>
/// <param name="CallId">The provider's id of the call (Claude's message id), to match it to a task AiSwitch ran.</param>
internal readonly record struct ImportedCall(string Key, LedgerRecord Record, string? CallId = null);

/// <summary>
/// Readers of the agent CLIs' own session logs. Each turns a file into model calls; the importer drops the ones whose
/// key it has seen. Formats follow what the CLIs write (and what ccusage and similar tools read):
/// <list type="bullet">
/// <item>Claude Code: one JSON object per line; <c>type:"assistant"</c> lines carry <c>message.{id,model,usage}</c> and
/// <c>requestId</c>. The same usage is repeated on every content block of a message, and a resumed session's file starts
/// with a copy of the earlier history, so a call is keyed by <c>message.id</c> + <c>requestId</c>.
/// <c>usage.input_tokens</c> excludes cache reads and writes.</item>
/// <item>Codex: rollout lines <c>{timestamp,type,payload}</c>; <c>event_msg</c> with <c>payload.type:"token_count"</c> carries
/// <c>info.total_token_usage</c>, cumulative for the thread, so calls are the differences between successive snapshots;
/// a call is keyed by its thread and snapshot. A forked session (<c>session_meta.forked_from_id</c>) replays its parent's events
/// and continues the parent's totals, so its calls are keyed by the thread it was first forked from: the replayed snapshots
/// are then the parent's own keys. <c>input_tokens</c> includes cached, <c>output_tokens</c> reasoning.</item>
/// <item>Gemini CLI: <c>chats/session-*.jsonl</c> (0.61 and later; subagents in <c>chats/&lt;parent&gt;/*.jsonl</c>): a metadata line
/// <c>{sessionId,projectHash,…}</c>, message lines (a message is written again, same <c>id</c>, when its tokens arrive),
/// <c>{"$set":{…}}</c> lines that may replace <c>messages</c>, and <c>{"$rewindTo":id}</c> lines (rewound calls were still
/// billed, so they stay counted). Older versions wrote one <c>chats/session-*.json</c> document with <c>messages[]</c>. Either way
/// a call is a <c>type:"gemini"</c> message with <c>tokens{input,output,cached,thoughts,tool}</c>, keyed by session and message id;
/// <c>input</c> is the whole prompt (cached included), <c>output</c> the visible candidates, <c>thoughts</c> billed as output.</item>
/// </list>
/// </summary>
internal static class AgentLogReaders
{
    private const string ImportTaskType = "import";

    public static void ReadClaudeCode(string path, Action<ImportedCall> found)
    {
        var strings = new StringTable();
        ImportedCall? previous = null;
        JsonLinesReader.Scan(path, 0, (line, _) =>
        {
            // Most lines are user turns and tool results: two vectorised searches rule them out without parsing.
            if (line.IndexOf("\"usage\""u8) >= 0 && line.IndexOf("\"assistant\""u8) >= 0 && ClaudeLine.TryRead(line, strings, previous, out var call))
            {
                found(call);
                previous = call;
            }
        });
    }

    /// <summary>
    /// One Claude Code log line read in a single forward pass: the members a call needs are taken, the rest (the message's
    /// content, most of the line) is skipped unparsed. Half a gigabyte of logs is mostly content, so this is the import's cost.
    /// </summary>
    private static class ClaudeLine
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        /// <param name="previous">The call on the line before: each content block of a message repeats it, and is the same call again.</param>
        public static bool TryRead(ReadOnlySpan<byte> line, StringTable strings, ImportedCall? previous, out ImportedCall call)
        {
            call = default;
            string? model = null, messageId = null, requestId = null, sessionId = null;
            long uuidAt = -1; // read only when the line has no message id: most lines have one
            long fresh = 0, cacheWrite = 0, cacheRead = 0, cacheWrite1h = 0, output = 0;
            decimal? cost = null;
            DateTimeOffset? time = null;
            bool assistant = false, hasUsage = false;
            try
            {
                var reader = new Utf8JsonReader(line);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return false;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("type"u8))
                    {
                        reader.Read();
                        assistant = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("assistant"u8);
                    }
                    else if (reader.ValueTextEquals("message"u8))
                    {
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            reader.Skip();
                            continue;
                        }

                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            if (reader.ValueTextEquals("id"u8))
                            {
                                messageId = String(ref reader, null, previous?.CallId) ?? messageId;
                            }
                            else if (reader.ValueTextEquals("model"u8))
                            {
                                model = String(ref reader, strings) ?? model;
                            }
                            else if (reader.ValueTextEquals("usage"u8))
                            {
                                reader.Read();
                                if (reader.TokenType != JsonTokenType.StartObject)
                                {
                                    reader.Skip();
                                    continue;
                                }

                                hasUsage = true;
                                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                                {
                                    if (reader.ValueTextEquals("input_tokens"u8))
                                    {
                                        fresh = Count(ref reader);
                                    }
                                    else if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
                                    {
                                        cacheWrite = Count(ref reader);
                                    }
                                    else if (reader.ValueTextEquals("cache_read_input_tokens"u8))
                                    {
                                        cacheRead = Count(ref reader);
                                    }
                                    else if (reader.ValueTextEquals("output_tokens"u8))
                                    {
                                        output = Count(ref reader);
                                    }
                                    else if (reader.ValueTextEquals("cache_creation"u8))
                                    {
                                        reader.Read();
                                        if (reader.TokenType != JsonTokenType.StartObject)
                                        {
                                            reader.Skip();
                                            continue;
                                        }

                                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                                        {
                                            if (reader.ValueTextEquals("ephemeral_1h_input_tokens"u8))
                                            {
                                                cacheWrite1h = Count(ref reader);
                                            }
                                            else
                                            {
                                                Skip(ref reader);
                                            }
                                        }
                                    }
                                    else
                                    {
                                        Skip(ref reader);
                                    }
                                }
                            }
                            else
                            {
                                Skip(ref reader);
                            }
                        }
                    }
                    else if (reader.ValueTextEquals("requestId"u8))
                    {
                        requestId = String(ref reader, null, previous?.Record.RequestId) ?? requestId;
                    }
                    else if (reader.ValueTextEquals("uuid"u8))
                    {
                        reader.Read();
                        uuidAt = reader.TokenType == JsonTokenType.String ? reader.TokenStartIndex : uuidAt;
                    }
                    else if (reader.ValueTextEquals("sessionId"u8))
                    {
                        sessionId = String(ref reader, strings) ?? sessionId;
                    }
                    else if (reader.ValueTextEquals("timestamp"u8))
                    {
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var at))
                        {
                            time = at;
                        }
                    }
                    else if (reader.ValueTextEquals("costUSD"u8))
                    {
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var usd))
                        {
                            // A JavaScript double (0.00018059999999999997): rounded as the task adapters round Claude Code's costs.
                            cost = Agents.Adapters.AgentEventParser.Cost(usd);
                        }
                    }
                    else
                    {
                        Skip(ref reader);
                    }
                }
            }
            catch (JsonException)
            {
                return false; // a line torn by the CLI itself, or not JSON: not a model call
            }

            if (!assistant || !hasUsage || model == "<synthetic>" || time is null)
            {
                return false; // not a model call (<synthetic> is Claude Code's own placeholder message)
            }

            if (messageId is not null && previous is { } before && ReferenceEquals(before.CallId, messageId) && before.Record.RequestId == (requestId ?? messageId))
            {
                call = before;
                return true;
            }

            var key = messageId is not null ? messageId + ":" + requestId : uuidAt >= 0 ? StringAt(line, uuidAt) : null;
            if (key is null)
            {
                return false;
            }

            call = new ImportedCall("claude:" + key, new LedgerRecord
            {
                Time = time.Value, Agent = "claude-code", Adapter = "claude-code", Model = model, TaskType = ImportTaskType,
                InputTokens = fresh + cacheWrite + cacheRead, CacheReadTokens = cacheRead, CacheWriteTokens = cacheWrite,
                CacheWrite1hTokens = Math.Min(cacheWrite, cacheWrite1h), OutputTokens = output, CostUsd = cost,
                CostSource = cost is null ? CostSource.None : CostSource.Agent, SessionId = sessionId, RequestId = requestId ?? messageId,
            }, messageId);
            return true;
        }

        /// <summary>
        /// The value after a property name when it is a string, else skipped, null. Interned when <paramref name="strings"/> is
        /// given; <paramref name="same"/> when it equals that (the previous line's id: no new string for a repeated message).
        /// </summary>
        private static string? String(ref Utf8JsonReader reader, StringTable? strings, string? same = null)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                return null;
            }

            if (same is not null && reader.ValueTextEquals(same))
            {
                return same;
            }

            return strings is not null && !reader.ValueIsEscaped ? strings.Get(reader.ValueSpan) : reader.GetString();
        }

        /// <summary>The string token that starts at <paramref name="index"/> of <paramref name="line"/>.</summary>
        private static string? StringAt(ReadOnlySpan<byte> line, long index)
        {
            var reader = new Utf8JsonReader(line[(int)index..]);
            return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        }

        /// <summary>A token count: a positive integer, else 0 (as a missing one).</summary>
        private static long Count(ref Utf8JsonReader reader)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n) && n > 0)
            {
                return n;
            }

            reader.Skip();
            return 0;
        }

        private static void Skip(ref Utf8JsonReader reader)
        {
            reader.Read();
            reader.Skip();
        }
    }

    /// <summary>The session id and the id it was forked from, from a rollout's first line (its session_meta).</summary>
    public static (string? Id, string? ForkedFrom) CodexSession(string path)
    {
        string? first;
        try
        {
            using var reader = new StreamReader(path);
            first = reader.ReadLine();
        }
        catch (IOException)
        {
            return default;
        }

        using var document = first is null ? null : Parse(Encoding.UTF8.GetBytes(first));
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object || Text(document.RootElement, "type") != "session_meta"
            || !document.RootElement.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
        {
            return default;
        }

        return (Text(payload, "id"), Text(payload, "forked_from_id") ?? Text(payload, "forked_from"));
    }

    /// <param name="threadOf">The thread a session's calls are keyed by (its first ancestor when it is a fork).</param>
    public static void ReadCodex(string path, Action<ImportedCall> found, Func<string, string>? threadOf = null)
    {
        string? sessionId = null, model = null;
        Snapshot previous = default;
        JsonLinesReader.Scan(path, 0, (line, _) =>
        {
            if (line.IndexOf("\"session_meta\""u8) < 0 && line.IndexOf("\"turn_context\""u8) < 0 && line.IndexOf("\"token_count\""u8) < 0)
            {
                return;
            }

            using var document = Parse(line);
            if (document is null || !document.RootElement.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            var root = document.RootElement;
            switch (Text(root, "type"))
            {
                case "session_meta":
                    sessionId ??= Text(payload, "id");
                    return;
                case "turn_context":
                    model = Text(payload, "model") ?? model;
                    return;
                case "event_msg" when Text(payload, "type") == "token_count":
                    break;
                default:
                    return;
            }

            if (!payload.TryGetProperty("info", out var info) || info.ValueKind != JsonValueKind.Object
                || !info.TryGetProperty("total_token_usage", out var totalUsage) || totalUsage.ValueKind != JsonValueKind.Object
                || !TryTime(root, out var time))
            {
                return;
            }

            var current = new Snapshot(Number(totalUsage, "input_tokens"), Number(totalUsage, "cached_input_tokens"),
                Number(totalUsage, "output_tokens"), Number(totalUsage, "reasoning_output_tokens"));
            // Cumulative totals that went down mean the thread's count restarted (a fork that does not carry them over).
            var delta = current.Total >= previous.Total ? current - previous : current;
            previous = current;
            if (delta.Total <= 0)
            {
                return; // the same snapshot again (Codex repeats it, e.g. with rate-limit updates)
            }

            var thread = sessionId is null ? path : threadOf?.Invoke(sessionId) ?? sessionId;
            found(new ImportedCall($"codex:{thread}:{current.Input}:{current.Cached}:{current.Output}:{current.Reasoning}:{delta.Total}", new LedgerRecord
            {
                Time = time, Agent = "codex", Adapter = "codex", Model = model, TaskType = ImportTaskType,
                InputTokens = delta.Input, CacheReadTokens = delta.Cached, OutputTokens = delta.Output, ReasoningTokens = delta.Reasoning,
                SessionId = sessionId,
            }));
        });
    }

    public static void ReadGemini(string path, Action<ImportedCall> found)
    {
        if (path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            ReadGeminiLines(path, found);
            return;
        }

        using var document = Parse(File.ReadAllBytes(path));
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        GeminiMessages(document.RootElement, Text(document.RootElement, "sessionId"), found);
    }

    private static void ReadGeminiLines(string path, Action<ImportedCall> found)
    {
        string? sessionId = null;
        JsonLinesReader.Scan(path, 0, (line, _) =>
        {
            using var document = Parse(line);
            if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            var root = document.RootElement;
            if (Text(root, "id") is not null)
            {
                GeminiMessage(root, sessionId, found);
            }
            else if (root.TryGetProperty("$set", out var set) && set.ValueKind == JsonValueKind.Object)
            {
                GeminiMessages(set, sessionId, found);
            }
            else if (Text(root, "sessionId") is { } id)
            {
                sessionId ??= id;
                GeminiMessages(root, sessionId, found);
            }
        });
    }

    private static void GeminiMessages(JsonElement holder, string? sessionId, Action<ImportedCall> found)
    {
        if (holder.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                GeminiMessage(message, sessionId, found);
            }
        }
    }

    private static void GeminiMessage(JsonElement message, string? sessionId, Action<ImportedCall> found)
    {
        if (message.ValueKind != JsonValueKind.Object || Text(message, "type") != "gemini"
            || !message.TryGetProperty("tokens", out var tokens) || tokens.ValueKind != JsonValueKind.Object
            || Text(message, "id") is not { } id || !TryTime(message, out var time))
        {
            return;
        }

        var thoughts = Number(tokens, "thoughts");
        found(new ImportedCall($"gemini:{sessionId}:{id}", new LedgerRecord
        {
            Time = time, Agent = "gemini", Adapter = "gemini", Model = Text(message, "model"), TaskType = ImportTaskType,
            InputTokens = Number(tokens, "input") + Number(tokens, "tool"), CacheReadTokens = Number(tokens, "cached"),
            OutputTokens = Number(tokens, "output") + thoughts, ReasoningTokens = thoughts,
            SessionId = sessionId, RequestId = id,
        }));
    }

    private static JsonDocument? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            return JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return null; // a line torn by the CLI itself, or not JSON: not a model call
        }
    }

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long Number(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) && n > 0 ? n : 0;

    private static bool TryTime(JsonElement element, out DateTimeOffset time)
    {
        time = default;
        return element.TryGetProperty("timestamp", out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out time);
    }

    private readonly record struct Snapshot(long Input, long Cached, long Output, long Reasoning)
    {
        public long Total => Input + Output;

        public static Snapshot operator -(Snapshot a, Snapshot b)
            => new(a.Input - b.Input, a.Cached - b.Cached, a.Output - b.Output, a.Reasoning - b.Reasoning);
    }

    internal static string Describe(UsageImportSource source) => UsageImporter.Canonical(source) switch
    {
        UsageImportSource.Claude => "Claude Code",
        UsageImportSource.Codex => "Codex",
        _ => "Gemini CLI",
    };

    internal static string Join(IEnumerable<string> paths) => new StringBuilder().AppendJoin(", ", paths.Select(p => "'" + p + "'")).ToString();
}
