using AiSwitch.Core.Tests.Support;
using AiSwitch.Core.Usage;

namespace AiSwitch.Core.Tests.Usage;

public sealed class UsageImporterTests : IDisposable
{
    private readonly TempHome _home = new();
    private readonly string _logs = Path.Combine(Path.GetTempPath(), "aiswitch-tests", "logs-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _home.Dispose();
        if (Directory.Exists(_logs))
        {
            Directory.Delete(_logs, recursive: true);
        }
    }

    private UsageImporter Importer(Func<string, string?>? environment = null) => new(_home.Home, new TokenLedger(_home.Home), environment ?? (_ => null));

    private (long Calls, long Input, long Output, long CacheRead, long CacheWrite) LedgerTotals(string agent)
    {
        var records = new List<LedgerRecord>();
        new TokenLedger(_home.Home).Scan(null, null, r => { if (r.Agent == agent) { records.Add(r); } }, null);
        return (records.Count, records.Sum(r => r.InputTokens), records.Sum(r => r.OutputTokens), records.Sum(r => r.CacheReadTokens), records.Sum(r => r.CacheWriteTokens));
    }

    [Fact]
    public void ClaudeCodeLogsImportEachCallOnceAndASecondImportAddsNothing()
    {
        var expected = AgentLogFixtures.WriteClaudeCode(Path.Combine(_logs, "projects"), sessions: 12, turns: 7);

        var first = Importer().Import(new ImportUsageRequest { Source = UsageImportSource.Claude, Path = [Path.Combine(_logs, "projects")] });
        // The old name is the same source: it shares the keys, which keep the file name older homes have.
        var second = Importer().Import(new ImportUsageRequest { Source = UsageImportSource.ClaudeCode, Path = [Path.Combine(_logs, "projects")] });

        Assert.Equal(expected.Calls, first.Added);
        Assert.True(first.Skipped > 0); // repeated content blocks, the resumed session's copy, the subagent file
        Assert.Equal((expected.Calls, expected.Input, expected.Output, expected.CacheRead, expected.CacheWrite), LedgerTotals("claude-code"));
        Assert.Equal((expected.Input, expected.Output), (first.InputTokens, first.OutputTokens));
        Assert.NotNull(first.CostUsd); // claude-opus-4-8 is priced
        Assert.Equal(0, second.Added);
        Assert.Equal(expected.Calls, LedgerTotals("claude-code").Calls);
        Assert.Equal(first.Added + first.Skipped, second.Skipped); // the second import read every call and knew each one
        Assert.Equal((UsageImportSource.Claude, UsageImportSource.Claude), (first.Source, second.Source));
        Assert.True(File.Exists(Path.Combine(_home.Home.StateDir, "imports", "claudecode.keys")));
    }

    [Fact]
    public void CodexRolloutsGiveDeltasAndAForksReplayedHistoryIsNotCountedTwice()
    {
        var expected = AgentLogFixtures.WriteCodex(Path.Combine(_logs, "codex", "sessions"), sessions: 6, turns: 5);

        var result = Importer(name => name == "CODEX_HOME" ? Path.Combine(_logs, "codex") : null)
            .Import(new ImportUsageRequest { Source = UsageImportSource.Codex });
        var again = Importer(name => name == "CODEX_HOME" ? Path.Combine(_logs, "codex") : null)
            .Import(new ImportUsageRequest { Source = UsageImportSource.Codex });

        Assert.Equal(9, result.Files);
        Assert.Equal(expected.Calls, result.Added);
        Assert.Equal((expected.Calls, expected.Input, expected.Output, expected.CacheRead, 0L), LedgerTotals("codex"));
        Assert.Equal(0, again.Added);
    }

    [Fact]
    public void IdenticalCodexJobsInSeparateThreadsAreEachCounted()
    {
        var expected = AgentLogFixtures.WriteIdenticalCodexThreads(Path.Combine(_logs, "codex", "sessions"), threads: 13, turns: 3);

        var result = Importer().Import(new ImportUsageRequest { Source = UsageImportSource.Codex, Path = [Path.Combine(_logs, "codex", "sessions")] });
        var again = Importer().Import(new ImportUsageRequest { Source = UsageImportSource.Codex, Path = [Path.Combine(_logs, "codex", "sessions")] });

        Assert.Equal(13 * 3, result.Added);
        Assert.Equal((expected.Calls, expected.Input, expected.Output, expected.CacheRead, 0L), LedgerTotals("codex"));
        Assert.Equal(0, again.Added);
    }

    [Fact]
    public void GeminiChatsImportTheirTokens()
    {
        var expected = AgentLogFixtures.WriteGemini(Path.Combine(_logs, "tmp"), messages: 9);

        var result = Importer().Import(new ImportUsageRequest { Source = UsageImportSource.Gemini, Path = [Path.Combine(_logs, "tmp")] });

        Assert.Equal(expected.Calls, result.Added);
        Assert.Equal((expected.Calls, expected.Input, expected.Output, expected.CacheRead, 0L), LedgerTotals("gemini"));
    }

    [Fact]
    public void GeminiJsonLinesRecordingsOf061AreReadBesideTheOldDocuments()
    {
        var old = AgentLogFixtures.WriteGemini(Path.Combine(_logs, "tmp"), messages: 4);
        var lines = AgentLogFixtures.WriteGeminiLines(Path.Combine(_logs, "tmp"), messages: 6);

        var result = Importer().Import(new ImportUsageRequest { Source = UsageImportSource.Gemini, Path = [Path.Combine(_logs, "tmp")] });
        var again = Importer().Import(new ImportUsageRequest { Source = UsageImportSource.Gemini, Path = [Path.Combine(_logs, "tmp")] });

        Assert.Equal(3, result.Files); // the old document, the session's .jsonl and the subagent's
        Assert.Equal(old.Calls + lines.Calls, result.Added);
        Assert.Equal((old.Calls + lines.Calls, old.Input + lines.Input, old.Output + lines.Output, old.CacheRead + lines.CacheRead, 0L), LedgerTotals("gemini"));
        Assert.Equal(0, again.Added);
    }

    [Fact]
    public void AFolderWithoutLogsSaysWhereItLookedInsteadOfASilentZero()
    {
        var empty = Path.Combine(_logs, "gemini-home", "tmp");
        Directory.CreateDirectory(Path.Combine(empty, "abc123", "chats"));
        var context = new RecordingContext();

        var result = Importer().Import(new ImportUsageRequest { Source = UsageImportSource.Gemini, Path = [empty] }, context);

        Assert.Equal((0, 0), (result.Files, result.Added));
        var warning = Assert.Single(context.Warnings);
        Assert.Contains(empty, warning, StringComparison.Ordinal);
        Assert.Contains("chats/session-*.jsonl", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void ClaudeConfigDirIsHonouredAndMissingLogsAreAClearError()
    {
        var configured = Path.Combine(_logs, "claude-config");
        var expected = AgentLogFixtures.WriteClaudeCode(Path.Combine(configured, "projects"), sessions: 2, turns: 2);

        var result = Importer(name => name == "CLAUDE_CONFIG_DIR" ? configured : null).Import(new ImportUsageRequest { Source = UsageImportSource.Claude });
        var error = Assert.Throws<AiSwitchException>(() => Importer().Import(new ImportUsageRequest { Source = UsageImportSource.Codex, Path = [Path.Combine(_logs, "nowhere")] }));

        Assert.Equal(expected.Calls, result.Added);
        Assert.Equal(ErrorId.UsageImportSourceNotFound, error.Id);
        Assert.Contains("nowhere", error.Message, StringComparison.Ordinal);
    }
}
