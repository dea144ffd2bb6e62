using System.Runtime.CompilerServices;
using System.Buffers;
using System.Text.Json;

namespace AiSwitch.Core.Usage;

/// <summary>
/// The ledger line format: one JSON object per line, snake_case names, the time in UTC with a Z, absent members for
/// unknown values (a missing cost stays missing, never 0). Reading ignores members it does not know.
/// </summary>
internal static class LedgerCodec
{
    public static void Write(IBufferWriter<byte> output, LedgerRecord record)
    {
        using (var writer = new Utf8JsonWriter(output))
        {
            WriteObject(writer, record, record.ImportBatch);
        }

        EndLine(output);
    }

    /// <summary>The lines of <paramref name="records"/>, each marked with <paramref name="importBatch"/> when one is given.</summary>
    public static byte[] Encode(IEnumerable<LedgerRecord> records, string? importBatch = null)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        Encode(buffer, records, importBatch);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Encode(ArrayBufferWriter<byte> buffer, IEnumerable<LedgerRecord> records, string? importBatch)
    {
        using var writer = new Utf8JsonWriter(buffer);
        foreach (var record in records)
        {
            // One writer for all the lines (a writer per line was most of an import's encoding time).
            WriteObject(writer, record, importBatch ?? record.ImportBatch);
            writer.Flush();
            EndLine(buffer);
            writer.Reset(buffer);
        }
    }

    private static void EndLine(IBufferWriter<byte> output)
    {
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteObject(Utf8JsonWriter writer, LedgerRecord record, string? importBatch)
    {
        writer.WriteStartObject();
        writer.WriteString("time"u8, record.Time.UtcDateTime);
        writer.WriteString("agent"u8, record.Agent);
        WriteOptional(writer, "task_id"u8, record.TaskId);
        WriteOptional(writer, "adapter"u8, record.Adapter);
        WriteOptional(writer, "preset"u8, record.Preset);
        WriteOptional(writer, "model"u8, record.Model);
        WriteOptional(writer, "task_type"u8, record.TaskType);
        writer.WriteNumber("input"u8, record.InputTokens);
        writer.WriteNumber("output"u8, record.OutputTokens);
        WriteNonZero(writer, "cache_read"u8, record.CacheReadTokens);
        WriteNonZero(writer, "cache_write"u8, record.CacheWriteTokens);
        WriteNonZero(writer, "cache_write_1h"u8, record.CacheWrite1hTokens);
        WriteNonZero(writer, "reasoning"u8, record.ReasoningTokens);
        if (record.CostUsd is { } cost)
        {
            writer.WriteNumber("cost_usd"u8, cost);
        }

        writer.WriteString("cost_source"u8, record.CostSource switch
        {
            CostSource.Agent => "agent"u8,
            CostSource.Pricing => "pricing"u8,
            _ => "none"u8,
        });
        WriteOptional(writer, "session_id"u8, record.SessionId);
        WriteOptional(writer, "request_id"u8, record.RequestId);
        if (record.Requests != 1)
        {
            writer.WriteNumber("requests"u8, record.Requests);
        }

        WriteOptional(writer, "status"u8, record.Status);
        WriteOptional(writer, "import_batch"u8, importBatch);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Parses one line. Low-cardinality strings come from <paramref name="strings"/>; the per-record ids (task, session,
    /// request) are read only when <paramref name="withIds"/>, as summaries never need them. False for a torn or foreign line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryRead(ReadOnlySpan<byte> line, StringTable strings, bool withIds, out LedgerRecord record)
    {
        record = null!;
        DateTimeOffset? time = null;
        string? status = null, agent = null, taskId = null, adapter = null, preset = null, model = null, taskType = null, sessionId = null, requestId = null;
        var requests = 1;
        long input = 0, output = 0, cacheRead = 0, cacheWrite = 0, cacheWrite1h = 0, reasoning = 0;
        decimal? cost = null;
        var source = CostSource.None;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                switch (name.Length)
                {
                    case 4 when name.SequenceEqual("time"u8):
                        time = !reader.ValueIsEscaped && TryParseUtc(reader.ValueSpan, out var utc) ? utc : reader.GetDateTimeOffset();
                        break;
                    case 5 when name.SequenceEqual("agent"u8):
                        agent = Text(ref reader, strings);
                        break;
                    case 6 when name.SequenceEqual("status"u8):
                        status = Text(ref reader, strings);
                        break;
                    case 5 when name.SequenceEqual("model"u8):
                        model = Text(ref reader, strings);
                        break;
                    case 5 when name.SequenceEqual("input"u8):
                        input = reader.GetInt64();
                        break;
                    case 6 when name.SequenceEqual("output"u8):
                        output = reader.GetInt64();
                        break;
                    case 6 when name.SequenceEqual("preset"u8):
                        preset = Text(ref reader, strings);
                        break;
                    case 7 when name.SequenceEqual("adapter"u8):
                        adapter = Text(ref reader, strings);
                        break;
                    case 7 when name.SequenceEqual("task_id"u8):
                        taskId = withIds ? reader.GetString() : null;
                        break;
                    case 8 when name.SequenceEqual("requests"u8):
                        requests = reader.GetInt32();
                        break;
                    case 8 when name.SequenceEqual("cost_usd"u8):
                        cost = reader.GetDecimal();
                        break;
                    case 9 when name.SequenceEqual("task_type"u8):
                        taskType = Text(ref reader, strings);
                        break;
                    case 9 when name.SequenceEqual("reasoning"u8):
                        reasoning = reader.GetInt64();
                        break;
                    case 10 when name.SequenceEqual("cache_read"u8):
                        cacheRead = reader.GetInt64();
                        break;
                    case 10 when name.SequenceEqual("session_id"u8):
                        sessionId = withIds ? reader.GetString() : null;
                        break;
                    case 10 when name.SequenceEqual("request_id"u8):
                        requestId = withIds ? reader.GetString() : null;
                        break;
                    case 11 when name.SequenceEqual("cache_write"u8):
                        cacheWrite = reader.GetInt64();
                        break;
                    case 14 when name.SequenceEqual("cache_write_1h"u8):
                        cacheWrite1h = reader.GetInt64();
                        break;
                    case 11 when name.SequenceEqual("cost_source"u8):
                        source = reader.ValueTextEquals("agent"u8) ? CostSource.Agent
                            : reader.ValueTextEquals("pricing"u8) ? CostSource.Pricing
                            : CostSource.None;
                        break;
                }
            }

            // A negative count is never real (a hand edit); counting it would hide usage from quotas.
            if (reader.TokenType != JsonTokenType.EndObject || time is null || agent is null || (input | output | cacheRead | cacheWrite | cacheWrite1h | reasoning) < 0)
            {
                return false;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }

        record = new LedgerRecord
        {
            Time = time.Value, Agent = agent, TaskId = taskId, Adapter = adapter, Preset = preset, Model = model, TaskType = taskType,
            InputTokens = input, OutputTokens = output, CacheReadTokens = cacheRead, CacheWriteTokens = cacheWrite,
            CacheWrite1hTokens = cacheWrite1h, ReasoningTokens = reasoning, CostUsd = cost, CostSource = cost is null ? CostSource.None : source,
            SessionId = sessionId, RequestId = requestId, Status = status, Requests = requests,
        };
        return true;
    }

    /// <summary>
    /// The writer's own form, <c>yyyy-MM-ddTHH:mm:ss[.fffffff]Z</c>, parsed without the general ISO 8601 parser (a third of
    /// the cost of reading a line). Anything else is left to <see cref="Utf8JsonReader.GetDateTimeOffset"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool TryParseUtc(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < 20 || text[^1] != (byte)'Z' || text[4] != (byte)'-' || text[7] != (byte)'-' || text[10] != (byte)'T'
            || text[13] != (byte)':' || text[16] != (byte)':')
        {
            return false;
        }

        static int Digits(ReadOnlySpan<byte> text, int start, int count)
        {
            var n = 0;
            for (var i = start; i < start + count; i++)
            {
                var d = text[i] - (byte)'0';
                if ((uint)d > 9)
                {
                    return -1;
                }

                n = (n * 10) + d;
            }

            return n;
        }

        var (year, month, day, hour, minute, second) = (Digits(text, 0, 4), Digits(text, 5, 2), Digits(text, 8, 2), Digits(text, 11, 2), Digits(text, 14, 2), Digits(text, 17, 2));
        long fraction = 0;
        if (text.Length > 20)
        {
            var digits = text.Length - 21;
            if (text[19] != (byte)'.' || digits is < 1 or > 7 || Digits(text, 20, digits) < 0)
            {
                return false;
            }

            fraction = Digits(text, 20, digits);
            for (var i = digits; i < 7; i++)
            {
                fraction *= 10;
            }
        }
        else if (text.Length != 20)
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || hour > 23 || minute > 59 || second > 59 || hour < 0 || minute < 0 || second < 0)
        {
            return false;
        }

        value = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fraction, TimeSpan.Zero);
        return true;
    }

    private static string Text(ref Utf8JsonReader reader, StringTable strings)
        => reader.ValueIsEscaped || reader.HasValueSequence ? reader.GetString()! : strings.Get(reader.ValueSpan);

    private static void WriteOptional(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteNonZero(Utf8JsonWriter writer, ReadOnlySpan<byte> name, long value)
    {
        if (value != 0)
        {
            writer.WriteNumber(name, value);
        }
    }
}
