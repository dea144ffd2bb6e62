using System.Globalization;
using System.Text;
using System.Text.Json;
using AiSwitch.Rpc;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AiSwitch.Core.Tests.Rpc;

/// <summary>
/// Property tests over framing and parsing: whatever a peer sends, the connection answers with the right error
/// (or nothing), never crashes or hangs, and still serves the next request. Runs are fixed so the suite stays fast;
/// every wait is bounded, so a hang fails the run.
/// </summary>
public sealed class JsonRpcFuzzTests
{
    private const int Runs = 60;
    private const string Probe = """{"jsonrpc":"2.0","id":"probe","method":"echo","params":{"text":"alive"}}""";

    private static readonly TestJsonContext Json = TestJsonContext.Default;
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(Runs);
    private static readonly int[] KnownErrorCodes = [-32700, -32600, -32601, -32602, -32603];

    private static RawPeer NewPeer(int maxMessageBytes = 4096) => new(
        c =>
        {
            c.AddMethod("echo", Json.EchoParams, Json.EchoResult, (p, _) => ValueTask.FromResult(new EchoResult { Text = p.Text }));
            c.AddNotification("note", Json.JsonElement, (_, _) => ValueTask.CompletedTask);
        },
        new JsonRpcConnectionOptions { PeerName = "fuzz", MaxMessageBytes = maxMessageBytes });

    /// <summary>Sends the probe and returns every message written before its answer (the answer proves the connection lives).</summary>
    private static async Task<List<JsonElement>> RepliesBeforeProbeAsync(RawPeer peer)
    {
        await peer.SendLineAsync(Probe);
        var before = new List<JsonElement>();
        while (true)
        {
            var message = await peer.ReadMessageAsync();
            if (message.ValueKind == JsonValueKind.Object
                && message.TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.String
                && id.GetString() == "probe"
                && message.TryGetProperty("result", out _))
            {
                Assert.Equal("alive", message.GetProperty("result").GetProperty("text").GetString());
                return before;
            }

            before.Add(message);
        }
    }

    private static bool IsWellFormedReply(JsonElement message) => message.ValueKind switch
    {
        JsonValueKind.Array => message.EnumerateArray().All(IsWellFormedReply),
        JsonValueKind.Object => message.GetProperty("jsonrpc").GetString() == "2.0"
            && message.TryGetProperty("id", out _)
            && (message.TryGetProperty("result", out _)
                || KnownErrorCodes.Contains(message.GetProperty("error").GetProperty("code").GetInt32())),
        _ => false,
    };

    private static bool Run(Func<Task<bool>> body) => body().WaitAsync(Bounded.Limit).GetAwaiter().GetResult();

    [Fact]
    public void Random_bytes_never_break_the_connection()
    {
        var bytes = Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf().Select(a => a.Take(2000).ToArray());
        Prop.ForAll(bytes.ToArbitrary(), data => Run(async () =>
        {
            await using var peer = NewPeer();
            await peer.SendAsync(data);
            await peer.SendAsync("\n");
            var replies = await RepliesBeforeProbeAsync(peer);
            return replies.All(IsWellFormedReply) && !peer.Connection.IsClosed;
        })).Check(Quick);
    }

    private static Gen<string> JsonValue(int depth)
    {
        var scalars = Gen.OneOf(
            Gen.Constant("null"),
            Gen.Elements("true", "false"),
            Gen.Choose(-1000, 1000).Select(n => n.ToString(CultureInfo.InvariantCulture)),
            Gen.Elements("1.5", "-0", "1e308", "9007199254740993"),
            Gen.Elements("echo", "note", "2.0", "1.0", "", "é\u2028", "$/cancelRequest").Select(s => JsonSerializer.Serialize(s, Json.String)));
        if (depth <= 0)
        {
            return scalars;
        }

        var keys = Gen.Elements("jsonrpc", "id", "method", "params", "result", "error", "code", "message", "data", "text", "x");
        var member = Gen.Zip(keys, JsonValue(depth - 1)).Select(kv => $"{JsonSerializer.Serialize(kv.Item1, Json.String)}:{kv.Item2}");
        var obj = member.ListOf().Select(ms => "{" + string.Join(",", ms.Take(6)) + "}");
        var arr = JsonValue(depth - 1).ListOf().Select(vs => "[" + string.Join(",", vs.Take(5)) + "]");
        return Gen.Frequency((2, scalars), (4, obj), (1, arr));
    }

    [Fact]
    public void Random_json_values_get_well_formed_replies_and_never_break_the_connection()
    {
        Prop.ForAll(JsonValue(4).ToArbitrary(), json => Run(async () =>
        {
            await using var peer = NewPeer(maxMessageBytes: 1024 * 1024);
            await peer.SendLineAsync(json);
            var replies = await RepliesBeforeProbeAsync(peer);
            return replies.Count <= 1 && replies.All(IsWellFormedReply);
        })).Check(Quick);
    }

    [Fact]
    public void Every_truncated_request_is_a_parse_error()
    {
        const string request = """{"jsonrpc":"2.0","id":7,"method":"echo","params":{"text":"whole","nested":[1,{"a":"b"}]}}""";
        Prop.ForAll(Gen.Choose(1, request.Length - 1).ToArbitrary(), cut => Run(async () =>
        {
            await using var peer = NewPeer();
            await peer.SendLineAsync(request[..cut]);
            var replies = await RepliesBeforeProbeAsync(peer);
            return replies.Count == 1 && replies[0].ErrorCode() == -32700 && replies[0].HasNullId();
        })).Check(Quick);
    }

    [Fact]
    public void Lines_over_the_limit_are_invalid_requests_and_lines_within_it_are_served()
    {
        const int limit = 1024;
        const string prefix = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":{\"text\":\"";
        const string suffix = "\"}}";
        Prop.ForAll(Gen.Choose(prefix.Length + suffix.Length, 3 * limit).ToArbitrary(), length => Run(async () =>
        {
            await using var peer = NewPeer(limit);
            await peer.SendLineAsync(prefix + new string('a', length - prefix.Length - suffix.Length) + suffix);
            var replies = await RepliesBeforeProbeAsync(peer);
            return length > limit
                ? replies.Count == 1 && replies[0].ErrorCode() == -32600 && replies[0].HasNullId()
                : replies.Count == 1 && replies[0].GetProperty("result").GetProperty("text").GetString()!.Length == length - prefix.Length - suffix.Length;
        })).Check(Quick);
    }

    [Fact]
    public void Invalid_utf8_anywhere_in_a_request_is_a_parse_error()
    {
        var valid = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":3,"method":"echo","params":{"text":"héllo wörld"}}""");
        byte[][] badSequences = [[0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF]];
        var cases = Gen.Zip(Gen.Choose(0, valid.Length), Gen.Elements(badSequences));
        Prop.ForAll(cases.ToArbitrary(), c => Run(async () =>
        {
            await using var peer = NewPeer();
            var (at, bad) = c;
            await peer.SendAsync([.. valid[..at], .. bad, .. valid[at..], (byte)'\n']);
            var replies = await RepliesBeforeProbeAsync(peer);
            return replies.Count == 1 && replies[0].ErrorCode() == -32700;
        })).Check(Quick);
    }

    [Fact]
    public void Nesting_past_the_limit_is_a_parse_error_and_within_it_is_served()
    {
        var depths = Gen.OneOf(Gen.Choose(1, 50), Gen.Choose(80, 2000));
        Prop.ForAll(depths.ToArbitrary(), depth => Run(async () =>
        {
            await using var peer = NewPeer(maxMessageBytes: 1024 * 1024);
            var nested = new string('[', depth) + new string(']', depth);
            await peer.SendLineAsync($$$"""{"jsonrpc":"2.0","id":1,"method":"echo","params":{"text":"deep","extra":{{{nested}}}}}""");
            var replies = await RepliesBeforeProbeAsync(peer);
            return depth <= 50
                ? replies.Count == 1 && replies[0].GetProperty("result").GetProperty("text").GetString() == "deep"
                : replies.Count == 1 && replies[0].ErrorCode() == -32700;
        })).Check(Quick);
    }

    [Fact]
    public void Colliding_ids_in_flight_are_refused_once_each_and_every_first_use_is_answered()
    {
        var ids = Gen.Choose(0, 5).ListOf().Select(l => l.Take(20).ToList());
        Prop.ForAll(ids.ToArbitrary(), sequence => Run(async () =>
        {
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var peer = new RawPeer(c => c.AddMethod("wait", Json.EchoParams, Json.EchoResult, async (p, _) =>
            {
                await release.Task;
                return new EchoResult { Text = p.Text };
            }));
            foreach (var id in sequence)
            {
                await peer.SendLineAsync($$$"""{"id":{{{id}}},"method":"wait","params":{"text":"{{{id}}}"}}""");
            }

            var distinct = sequence.Distinct().Count();
            var refusals = new List<JsonElement>();
            for (var i = 0; i < sequence.Count - distinct; i++)
            {
                refusals.Add(await peer.ReadMessageAsync());
            }

            release.SetResult();
            var answers = new List<JsonElement>();
            for (var i = 0; i < distinct; i++)
            {
                answers.Add(await peer.ReadMessageAsync());
            }

            return refusals.All(r => r.ErrorCode() == -32600)
                && answers.Select(a => a.GetProperty("id").GetInt32()).Order().SequenceEqual(sequence.Distinct().Order())
                && answers.All(a => a.GetProperty("result").GetProperty("text").GetString() == a.GetProperty("id").GetRawText());
        })).Check(Quick);
    }

    [Fact]
    public void Interleaved_batches_and_single_messages_get_exactly_one_answer_per_request_in_the_right_envelope()
    {
        // Each entry: (is request, goes into a batch with the previous entries of the same group).
        var entry = Gen.Elements(true, false);
        var group = entry.NonEmptyListOf().Select(g => g.Take(6).ToList());
        var plan = Gen.Zip(group.NonEmptyListOf().Select(gs => gs.Take(8).ToList()), Gen.Elements(true, false).ListOf());
        Prop.ForAll(plan.ToArbitrary(), p => Run(async () =>
        {
            await using var peer = NewPeer(maxMessageBytes: 1024 * 1024);
            var (groups, batchFlags) = p;
            var nextId = 0;
            var expected = new List<(bool Batch, List<int> Ids)>();
            for (var g = 0; g < groups.Count; g++)
            {
                var asBatch = g < batchFlags.Count && batchFlags[g];
                var messages = new List<string>();
                var ids = new List<int>();
                foreach (var isRequest in groups[g])
                {
                    if (isRequest)
                    {
                        var id = nextId++;
                        ids.Add(id);
                        messages.Add($$$"""{"jsonrpc":"2.0","id":{{{id}}},"method":"echo","params":{"text":"t{{{id}}}"}}""");
                    }
                    else
                    {
                        messages.Add("""{"jsonrpc":"2.0","method":"note","params":{}}""");
                    }
                }

                if (asBatch)
                {
                    await peer.SendLineAsync("[" + string.Join(",", messages) + "]");
                    if (ids.Count > 0)
                    {
                        expected.Add((true, ids));
                    }
                }
                else
                {
                    foreach (var message in messages)
                    {
                        await peer.SendLineAsync(message);
                    }

                    expected.AddRange(ids.Select(id => (false, new List<int> { id })));
                }
            }

            var replies = await RepliesBeforeProbeAsync(peer);
            if (replies.Count != expected.Count)
            {
                return false;
            }

            for (var i = 0; i < replies.Count; i++)
            {
                var (batch, ids) = expected[i];
                var reply = replies[i];
                var got = batch
                    ? reply.ValueKind == JsonValueKind.Array ? reply.EnumerateArray().ToList() : null
                    : reply.ValueKind == JsonValueKind.Object ? [reply] : null;
                if (got is null
                    || !got.Select(r => r.GetProperty("id").GetInt32()).Order().SequenceEqual(ids)
                    || !got.All(r => r.GetProperty("result").GetProperty("text").GetString() == "t" + r.GetProperty("id").GetRawText()))
                {
                    return false;
                }
            }

            return true;
        })).Check(Quick);
    }
}
