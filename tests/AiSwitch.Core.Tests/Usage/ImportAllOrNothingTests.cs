using System.Text;
using System.Text.Json;
using AiSwitch.Core.Tests.Support;
using AiSwitch.Core.Usage;

namespace AiSwitch.Core.Tests.Usage;

/// <summary>
/// Issue 11 item 5: an import commits all it read or nothing. A full disk part way through leaves the ledger as it was
/// (and the error says so truthfully); an import killed while committing is taken out by the next one, which adds its
/// calls once. Importing again reads only what changed.
/// </summary>
public sealed class ImportAllOrNothingTests : IDisposable
{
    private readonly TempHome _home = new();
    private readonly string _logs = Path.Combine(Path.GetTempPath(), "aiswitch-tests", "allornothing-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _home.Dispose();
        if (Directory.Exists(_logs))
        {
            Directory.Delete(_logs, recursive: true);
        }
    }

    [Fact]
    public void AFullDiskOnTheLastDayUndoesTheEarlierDaysAndAReimportEqualsACleanOne()
    {
        Assert.True(File.Exists("/dev/full"), "this test needs /dev/full (Linux) to make a write fail with ENOSPC");
        var expected = ClaudeLogs.Write(_logs, days: 5, sessionsPerDay: 3, callsPerSession: 4);
        var ledger = new TokenLedger(_home.Home);
        var lastDay = ledger.PathFor(expected.LastTime);
        Directory.CreateDirectory(ledger.Directory);
        File.CreateSymbolicLink(lastDay, "/dev/full"); // every write to that day file fails: the disk is full

        var error = Assert.Throws<AiSwitchException>(() => Import(ledger));

        Assert.Equal(ErrorId.InsufficientResources, error.Id);
        Assert.Contains("disk is full", error.Message, StringComparison.Ordinal);
        Assert.Contains("taken out again, so the ledger is as it was", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Nothing was changed", error.Message, StringComparison.Ordinal);
        File.Delete(lastDay);
        Assert.Empty(Records(ledger));                       // the four days written before the failure were undone
        Assert.False(File.Exists(JournalPath()));

        var result = Import(ledger);

        Assert.Equal(expected.Calls, result.Added);
        Assert.Equal(expected.Totals, Totals(Records(ledger)));
    }

    [Fact]
    public void AnImportKilledMidAppendIsTakenOutByTheNextWhichAddsEveryCallOnce()
    {
        var expected = ClaudeLogs.Write(_logs, days: 4, sessionsPerDay: 2, callsPerSession: 5);
        var ledger = new TokenLedger(_home.Home);
        // What a killed import leaves: its journal, two days appended, the third cut off in the middle of a line, half its keys.
        var records = new List<LedgerRecord>();
        var keys = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(_logs, "*.jsonl", SearchOption.AllDirectories))
        {
            AgentLogReaders.ReadClaudeCode(file, call => { records.Add(call.Record); keys.Append(call.Key).Append('\n'); });
        }

        var days = records.GroupBy(r => ledger.PathFor(r.Time)).OrderBy(d => d.Key).Select(d => (d.Key, LedgerCodec.Encode(d, "b1"))).ToList();
        Directory.CreateDirectory(Path.GetDirectoryName(JournalPath())!);
        ImportJournal.Begin("b1", days.Select(d => d.Key), KeysPath()).Save(JournalPath());
        AppendOnlyFile.Append(days[0].Key, days[0].Item2);
        AppendOnlyFile.Append(days[1].Key, days[1].Item2);
        File.AppendAllText(days[2].Key, "{\"time\":\"2026-11-");                      // the line being written when it died
        File.WriteAllText(KeysPath(), keys.ToString()[..(keys.Length / 2)]);            // and keys it never finished
        var context = new RecordingContext();

        var result = Import(ledger, context);

        Assert.Equal(expected.Calls, result.Added);                                      // the killed batch was taken out, then read again
        Assert.Equal(expected.Totals, Totals(Records(ledger, context)));
        Assert.Contains(context.Warnings, w => w.Contains("stopped part way", StringComparison.Ordinal) && w.Contains("taken out again", StringComparison.Ordinal));
        Assert.DoesNotContain(context.Warnings, w => w.Contains("unreadable", StringComparison.Ordinal));
        Assert.False(File.Exists(JournalPath()));
        Assert.Equal(0, Import(ledger).Added);
        Assert.Equal(expected.Totals, Totals(Records(ledger)));
    }

    [Fact]
    public void ImportingAgainAddsOnlyWhatALogGainedAndAListLostSinceCountsNothingTwice()
    {
        var expected = ClaudeLogs.Write(_logs, days: 3, sessionsPerDay: 2, callsPerSession: 4);
        var ledger = new TokenLedger(_home.Home);
        Assert.Equal(expected.Calls, Import(ledger).Added);

        var again = Import(ledger);
        Assert.Equal(0, again.Added);
        Assert.Equal(expected.Calls, again.Skipped);                                     // unchanged files: their calls are known

        var grown = Directory.EnumerateFiles(_logs, "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        File.AppendAllText(grown, JsonSerializer.Serialize(new
        {
            type = "assistant", sessionId = "s-new", requestId = "req_new", uuid = Guid.NewGuid().ToString(), timestamp = expected.LastTime,
            message = new { id = "msg_new", model = "claude-opus-4-8", usage = new { input_tokens = 7, output_tokens = 3 } },
        }) + "\n");
        var after = Import(ledger);
        Assert.Equal(1, after.Added);
        Assert.Equal(expected.Calls, after.Skipped);

        File.Delete(Path.ChangeExtension(KeysPath(), ".files"));                       // the list of seen files lost: all read again
        Assert.Equal(0, Import(ledger).Added);
        Assert.Equal(expected.Calls + 1, Records(ledger).Count);
    }

    private string KeysPath() => Path.Combine(_home.Home.StateDir, "imports", "claudecode.keys");

    private string JournalPath() => Path.Combine(_home.Home.StateDir, "imports", "claudecode.keys.pending");

    private ImportUsageResult Import(TokenLedger ledger, RecordingContext? context = null)
        => new UsageImporter(_home.Home, ledger, _ => null).Import(new ImportUsageRequest { Source = UsageImportSource.Claude, Path = [_logs] }, context);

    private static List<LedgerRecord> Records(TokenLedger ledger, RecordingContext? context = null)
    {
        var records = new List<LedgerRecord>();
        ledger.Scan(null, null, records.Add, context);
        return records;
    }

    private static (long Calls, long Input, long Output, long CacheRead) Totals(IEnumerable<LedgerRecord> records)
    {
        var list = records.ToList();
        return (list.Count, list.Sum(r => r.InputTokens), list.Sum(r => r.OutputTokens), list.Sum(r => r.CacheReadTokens));
    }
}

/// <summary>Claude Code logs over several UTC days: one file per session, one assistant line per call with cache reads.</summary>
public static class ClaudeLogs
{
    public sealed record Expected(int Calls, (long Calls, long Input, long Output, long CacheRead) Totals, DateTimeOffset LastTime);

    public static Expected Write(string root, int days, int sessionsPerDay, int callsPerSession, int seed = 11)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 11, 10, 8, 0, 0, TimeSpan.Zero);
        long input = 0, output = 0, cacheRead = 0;
        var calls = 0;
        var last = start;
        var folder = Path.Combine(root, "-home-user-project");
        Directory.CreateDirectory(folder);
        for (var day = 0; day < days; day++)
        {
            for (var s = 0; s < sessionsPerDay; s++)
            {
                var session = Guid.NewGuid().ToString();
                var lines = new List<string>();
                for (var c = 0; c < callsPerSession; c++)
                {
                    var time = start.AddDays(day).AddMinutes((s * callsPerSession) + c);
                    var (fresh, read, outTokens) = (random.Next(1, 500), random.Next(0, 20000), random.Next(1, 2000));
                    lines.Add(JsonSerializer.Serialize(new
                    {
                        type = "assistant", sessionId = session, requestId = "req_" + Guid.NewGuid().ToString("N"), uuid = Guid.NewGuid().ToString(), timestamp = time,
                        message = new { id = "msg_" + Guid.NewGuid().ToString("N"), model = "claude-opus-4-8", usage = new { input_tokens = fresh, cache_read_input_tokens = read, output_tokens = outTokens } },
                    }));
                    input += fresh + read;
                    output += outTokens;
                    cacheRead += read;
                    calls++;
                    last = time;
                }

                File.WriteAllLines(Path.Combine(folder, session + ".jsonl"), lines);
            }
        }

        return new Expected(calls, (calls, input, output, cacheRead), last);
    }
}
