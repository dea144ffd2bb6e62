using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AiSwitch.Core.Tests.Usage;

/// <summary>
/// Writes realistic agent-CLI log folders and counts, independently of the importer, what they hold: every distinct
/// model call once. Shared by the import tests and the import benchmark (linked into bench/AiSwitch.Bench).
/// </summary>
public static class AgentLogFixtures
{
    /// <summary>What a fixture holds: distinct calls and their token sums (input including cache reads and writes).</summary>
    public sealed record Expected(long Calls, long Input, long Output, long CacheRead, long CacheWrite);

    /// <summary>
    /// Claude Code projects: sessions whose assistant messages repeat their usage on every content block, a
    /// <c>&lt;synthetic&gt;</c> message, user and summary lines, a resumed session that starts with a copy of an earlier
    /// one, and a subagent file. Stops adding sessions once about <paramref name="targetBytes"/> are written.
    /// </summary>
    public static Expected WriteClaudeCode(string projectsRoot, int sessions, int turns, long targetBytes = 0, int seed = 1)
    {
        var random = new Random(seed);
        long calls = 0, input = 0, output = 0, cacheRead = 0, cacheWrite = 0, written = 0;
        var start = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
        List<string>? previousLines = null;
        for (var s = 0; s < sessions || (targetBytes > 0 && written < targetBytes); s++)
        {
            var project = Path.Combine(projectsRoot, "-home-user-project" + (s % 3).ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(project);
            var sessionId = Guid.NewGuid().ToString();
            var lines = new List<string>();
            if (s % 4 == 3 && previousLines is not null)
            {
                lines.AddRange(previousLines); // a resumed session: Claude Code copies the earlier history into the new file
            }

            lines.Add(Json(new { type = "summary", summary = "Fixing the build", leafUuid = Guid.NewGuid() }));
            for (var t = 0; t < turns; t++)
            {
                var time = start.AddMinutes((s * turns) + t);
                lines.Add(Json(new { type = "user", sessionId, uuid = Guid.NewGuid(), timestamp = time, message = new { role = "user", content = "please fix test " + t + new string('x', random.Next(50, 400)) } }));
                var (id, request) = ("msg_" + Guid.NewGuid().ToString("N"), "req_" + Guid.NewGuid().ToString("N"));
                var usage = new { input_tokens = random.Next(1, 50), cache_creation_input_tokens = random.Next(0, 5000), cache_read_input_tokens = random.Next(0, 40000), output_tokens = random.Next(1, 2000) };
                var blocks = random.Next(1, 4);
                for (var b = 0; b < blocks; b++)
                {
                    object content = b == blocks - 1
                        ? new { type = "text", text = "Done: " + new string('y', random.Next(100, 1500)) }
                        : new { type = "tool_use", id = "toolu_" + b, name = "Bash", input = new { command = "dotnet test" } };
                    lines.Add(Json(new
                    {
                        parentUuid = Guid.NewGuid(), isSidechain = false, type = "assistant", sessionId, uuid = Guid.NewGuid(), timestamp = time.AddSeconds(b), requestId = request,
                        message = new { id, type = "message", role = "assistant", model = "claude-opus-4-8", content = new[] { content }, stop_reason = (string?)null, usage },
                    }));
                }

                calls++;
                input += usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens;
                output += usage.output_tokens;
                cacheRead += usage.cache_read_input_tokens;
                cacheWrite += usage.cache_creation_input_tokens;
            }

            lines.Add(Json(new
            {
                type = "assistant", sessionId, uuid = Guid.NewGuid(), timestamp = start, requestId = (string?)null,
                message = new { id = "synthetic-" + s, model = "<synthetic>", content = new[] { new { type = "text", text = "No response requested." } }, usage = new { input_tokens = 0, output_tokens = 0 } },
            }));
            var text = string.Join('\n', lines) + "\n";
            File.WriteAllText(Path.Combine(project, sessionId + ".jsonl"), text);
            written += Encoding.UTF8.GetByteCount(text);
            if (s % 5 == 1)
            {
                // A subagent's sidechain file repeats some of the parent's calls.
                var subagents = Path.Combine(project, sessionId, "subagents");
                Directory.CreateDirectory(subagents);
                File.WriteAllText(Path.Combine(subagents, "agent-1.jsonl"), string.Join('\n', lines.Where(l => l.Contains("\"assistant\"", StringComparison.Ordinal)).Take(3)) + "\n");
            }

            previousLines = lines;
        }

        return new Expected(calls, input, output, cacheRead, cacheWrite);
    }

    /// <summary>
    /// Codex rollout files: cumulative token_count snapshots (some repeated, one with info null), a resumed session that
    /// continues its totals, and a fork that replays its parent's events (with new timestamps) before its own calls.
    /// </summary>
    public static Expected WriteCodex(string sessionsRoot, int sessions, int turns, int seed = 2)
    {
        var random = new Random(seed);
        long calls = 0, input = 0, output = 0, cacheRead = 0;
        var day = Path.Combine(sessionsRoot, "2026", "11", "21");
        Directory.CreateDirectory(day);
        var start = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);
        for (var s = 0; s < sessions; s++)
        {
            var id = Guid.NewGuid().ToString();
            var lines = new List<string>
            {
                Line(start, "session_meta", new { id, cwd = "/home/user/p", cli_version = "0.169.0", model_provider = "openai" }),
                Line(start, "turn_context", new { model = "gpt-5.1-codex", cwd = "/home/user/p" }),
                Line(start, "event_msg", new { type = "token_count", info = (object?)null }),
            };
            var total = new Usage(0, 0, 0, 0);
            for (var t = 0; t < turns; t++)
            {
                var time = start.AddMinutes((s * turns) + t);
                var call = new Usage(random.Next(1000, 20000), 0, random.Next(10, 3000), 0);
                call = call with { Cached = random.Next(0, (int)call.Input), Reasoning = random.Next(0, (int)call.Output) };
                total += call;
                lines.Add(Line(time, "response_item", new { type = "message", role = "assistant", content = "ok" }));
                lines.Add(Line(time, "event_msg", Count(total, call)));
                if (t % 3 == 0)
                {
                    lines.Add(Line(time.AddSeconds(1), "event_msg", Count(total, call))); // the same snapshot again
                }

                calls++;
                input += call.Input;
                output += call.Output;
                cacheRead += call.Cached;
            }

            File.WriteAllText(Path.Combine(day, $"rollout-2026-11-21T09-00-00-{id}.jsonl"), string.Join('\n', lines) + "\n");
            if (s % 2 == 1)
            {
                // A fork: a new session whose file first replays the parent's history, then continues with its own calls.
                var forkId = Guid.NewGuid().ToString();
                var forkTime = start.AddHours(5 + s);
                var fork = new List<string> { Line(forkTime, "session_meta", new { id = forkId, forked_from_id = id, cwd = "/home/user/p" }) };
                fork.AddRange(lines.Skip(1).Select(l => ReTime(l, forkTime)));
                for (var t = 0; t < 2; t++)
                {
                    var call = new Usage(random.Next(1000, 20000), 500, random.Next(10, 3000), 10);
                    total += call;
                    fork.Add(Line(forkTime.AddMinutes(t + 1), "event_msg", Count(total, call)));
                    calls++;
                    input += call.Input;
                    output += call.Output;
                    cacheRead += call.Cached;
                }

                File.WriteAllText(Path.Combine(day, $"rollout-2026-11-21T14-00-00-{forkId}.jsonl"), string.Join('\n', fork) + "\n");
            }
        }

        return new Expected(calls, input, output, cacheRead, 0);
    }

    /// <summary>A Gemini CLI chat recording with user and gemini messages, one without tokens.</summary>
    public static Expected WriteGemini(string tmpRoot, int messages, int seed = 3)
    {
        var random = new Random(seed);
        var chats = Path.Combine(tmpRoot, "0f3c5a" + seed.ToString(CultureInfo.InvariantCulture), "chats");
        Directory.CreateDirectory(chats);
        long input = 0, output = 0, cached = 0;
        var list = new List<object>();
        var start = new DateTimeOffset(2026, 11, 21, 7, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < messages; i++)
        {
            list.Add(new { id = Guid.NewGuid().ToString(), timestamp = start.AddMinutes(i), type = "user", content = "hi" });
            var tokens = new { input = random.Next(100, 9000), output = random.Next(1, 900), cached = random.Next(0, 50), thoughts = random.Next(0, 300), tool = random.Next(0, 20), total = 0 };
            list.Add(new { id = Guid.NewGuid().ToString(), timestamp = start.AddMinutes(i).AddSeconds(2), type = "gemini", content = "hello", model = "gemini-2.5-flash", tokens });
            input += tokens.input + tokens.tool;
            output += tokens.output + tokens.thoughts;
            cached += tokens.cached;
        }

        list.Add(new { id = Guid.NewGuid().ToString(), timestamp = start, type = "gemini", content = "cancelled", tokens = (object?)null });
        File.WriteAllText(Path.Combine(chats, "session-2026-11-21T07-00-abcd.json"),
            Json(new { sessionId = Guid.NewGuid().ToString(), projectHash = "0f3c5a", startTime = start, lastUpdated = start.AddHours(1), messages = list }));
        return new Expected(messages, input, output, cached, 0);
    }

    /// <summary>
    /// A Gemini CLI 0.61 recording, <c>chats/session-*.jsonl</c>, written the way its ChatRecordingService appends: a metadata
    /// line, each gemini message once without tokens and again (same id) with them, <c>$set</c> lines after each message,
    /// a rewind, and a <c>$set</c> of <c>messages</c> that repeats the history and adds one call. Plus a subagent's file in
    /// <c>chats/&lt;parent id&gt;/</c>.
    /// </summary>
    public static Expected WriteGeminiLines(string tmpRoot, int messages, int seed = 4)
    {
        var random = new Random(seed);
        var chats = Path.Combine(tmpRoot, "7a1b9c" + seed.ToString(CultureInfo.InvariantCulture), "chats");
        var sessionId = Guid.NewGuid().ToString();
        Directory.CreateDirectory(Path.Combine(chats, sessionId));
        long input = 0, output = 0, cached = 0, calls = 0;
        var start = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        var history = new List<object>();
        var lastId = "";

        object Call(int i, out object withoutTokens)
        {
            var id = lastId = Guid.NewGuid().ToString();
            var tokens = new { input = random.Next(100, 9000), output = random.Next(1, 900), cached = random.Next(0, 50), thoughts = random.Next(0, 300), tool = random.Next(0, 20), total = 0 };
            input += tokens.input + tokens.tool;
            output += tokens.output + tokens.thoughts;
            cached += tokens.cached;
            calls++;
            withoutTokens = new { id, timestamp = start.AddMinutes(i).AddSeconds(2), type = "gemini", content = "hello", model = "gemini-2.5-flash", tokens = (object?)null };
            return new { id, timestamp = start.AddMinutes(i).AddSeconds(2), type = "gemini", content = "hello", model = "gemini-2.5-flash", tokens };
        }

        var lines = new List<string> { Json(new { sessionId, projectHash = "7a1b9c", startTime = start, lastUpdated = start, kind = "main" }) };
        for (var i = 0; i < messages; i++)
        {
            var user = new { id = Guid.NewGuid().ToString(), timestamp = start.AddMinutes(i), type = "user", content = "hi" };
            lines.Add(Json(user));
            var call = Call(i, out var pending);
            lines.Add(Json(pending));
            lines.Add(Json(call));
            lines.Add(Json(new Dictionary<string, object> { ["$set"] = new { lastUpdated = start.AddMinutes(i).AddSeconds(3) } }));
            history.Add(user);
            history.Add(call);
        }

        lines.Add(Json(new Dictionary<string, object> { ["$rewindTo"] = lastId }));
        history.Add(Call(messages, out _));
        lines.Add(Json(new Dictionary<string, object> { ["$set"] = new { messages = history } }));
        File.WriteAllLines(Path.Combine(chats, "session-2026-11-22T09-00-" + sessionId[..8] + ".jsonl"), lines);

        var sub = Call(messages + 1, out _);
        File.WriteAllLines(Path.Combine(chats, sessionId, Guid.NewGuid().ToString() + ".jsonl"),
            [Json(new { sessionId = Guid.NewGuid().ToString(), projectHash = "7a1b9c", startTime = start, kind = "subagent" }), Json(sub)]);
        return new Expected(calls, input, output, cached, 0);
    }

    /// <summary>
    /// Codex rollouts of <paramref name="threads"/> identical jobs: the same prompts giving the same token counts, so every
    /// thread's snapshots are the same numbers. Only the session ids tell the threads apart.
    /// </summary>
    public static Expected WriteIdenticalCodexThreads(string sessionsRoot, int threads, int turns)
    {
        var day = Path.Combine(sessionsRoot, "2026", "11", "23");
        Directory.CreateDirectory(day);
        var start = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
        long input = 0, output = 0, cacheRead = 0;
        for (var thread = 0; thread < threads; thread++)
        {
            var id = Guid.NewGuid().ToString();
            var lines = new List<string> { Line(start, "session_meta", new { id, cwd = "/home/user/p", cli_version = "0.169.0" }) };
            var total = new Usage(0, 0, 0, 0);
            for (var t = 0; t < turns; t++)
            {
                var call = new Usage(1200, 300, 80, 20);
                total += call;
                lines.Add(Line(start.AddSeconds(t), "event_msg", Count(total, call)));
                input += call.Input;
                output += call.Output;
                cacheRead += call.Cached;
            }

            File.WriteAllText(Path.Combine(day, $"rollout-2026-11-23T09-00-00-{id}.jsonl"), string.Join('\n', lines) + "\n");
        }

        return new Expected(threads * turns, input, output, cacheRead, 0);
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static string Line(DateTimeOffset time, string type, object payload) => Json(new { timestamp = time, type, payload });

    private static object Count(Usage total, Usage last) => new
    {
        type = "token_count",
        info = new { total_token_usage = total.Wire(), last_token_usage = last.Wire(), model_context_window = 258400 },
        rate_limits = new { primary = new { used_percent = 7.0 } },
    };

    private static string ReTime(string line, DateTimeOffset time)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(line)!;
        node["timestamp"] = time;
        return node.ToJsonString();
    }

    private readonly record struct Usage(long Input, long Cached, long Output, long Reasoning)
    {
        public static Usage operator +(Usage a, Usage b) => new(a.Input + b.Input, a.Cached + b.Cached, a.Output + b.Output, a.Reasoning + b.Reasoning);

        public object Wire() => new
        {
            input_tokens = Input, cached_input_tokens = Cached, output_tokens = Output, reasoning_output_tokens = Reasoning, total_tokens = Input + Output,
        };
    }
}
