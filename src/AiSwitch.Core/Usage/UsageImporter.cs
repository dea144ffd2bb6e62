using System.Buffers;
using System.Text;
using AiSwitch.Core.Home;
using AiSwitch.Core.Hosting;

namespace AiSwitch.Core.Usage;

/// <summary>
/// <c>Import-AiTokenUsage</c>: adds the model calls found in an agent CLI's own logs to the ledger, each once. The keys of
/// imported calls are kept in <c>state/imports/&lt;source&gt;.keys</c>, so importing the same logs again adds nothing;
/// one import at a time runs per home (a file lock), so two sessions importing at once cannot both add a call.
/// </summary>
internal sealed class UsageImporter
{
    private readonly AiHome _home;
    private readonly TokenLedger _ledger;
    private readonly Func<string, string?> _environment;

    public UsageImporter(AiHome home, TokenLedger ledger, Func<string, string?>? environment = null)
    {
        _home = home;
        _ledger = ledger;
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    public static UsageImporter For(AiSession session) => new(session.Home, TokenLedger.For(session));

    /// <summary>A source by its current name: ClaudeCode, the old name, is Claude.</summary>
    public static UsageImportSource Canonical(UsageImportSource source)
        => source == UsageImportSource.ClaudeCode ? UsageImportSource.Claude : source;

    /// <summary>The folders read when no path is given, those that exist first.</summary>
    public IReadOnlyList<string> DefaultRoots(UsageImportSource source)
    {
        var profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        IEnumerable<string> roots = Canonical(source) switch
        {
            UsageImportSource.Claude => _environment("CLAUDE_CONFIG_DIR") is { Length: > 0 } configured
                ? configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(d => Path.Combine(d, "projects"))
                : [Path.Combine(profile, ".config", "claude", "projects"), Path.Combine(profile, ".claude", "projects")],
            UsageImportSource.Codex => [Path.Combine(_environment("CODEX_HOME") is { Length: > 0 } codexHome ? codexHome : Path.Combine(profile, ".codex"), "sessions")],
            _ => [Path.Combine(profile, ".gemini", "tmp")],
        };
        return [.. roots];
    }

    public ImportUsageResult Import(ImportUsageRequest request, IOperationContext? context = null, CancellationToken cancellationToken = default)
    {
        var roots = request.Path is { Count: > 0 } given ? given.Select(Path.GetFullPath).ToList() : [.. DefaultRoots(request.Source)];
        var existing = roots.Where(p => File.Exists(p) || Directory.Exists(p)).ToList();
        if (existing.Count == 0)
        {
            var how = request.Path is { Count: > 0 } ? "Check the -Path you gave" : $"Run {AgentLogReaders.Describe(request.Source)} once, or give its log folder with -Path";
            throw new AiSwitchException(ErrorId.UsageImportSourceNotFound,
                $"No {AgentLogReaders.Describe(request.Source)} logs found at {AgentLogReaders.Join(roots)}. {how}.", roots.FirstOrDefault());
        }

        var files = existing.SelectMany(root => Files(request.Source, root)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            context?.WriteWarning(
                $"No {AgentLogReaders.Describe(request.Source)} log files were found in {AgentLogReaders.Join(existing)} (looked for {Pattern(request.Source)}). " +
                "Nothing was imported. Give the folder that holds them with -Path.");
        }
        var keysPath = Path.Combine(_home.StateDir, "imports", KeysName(request.Source) + ".keys");
        PrivateDirectory.Create(Path.GetDirectoryName(keysPath)!);
        using (FileMutex.Acquire(keysPath + ".lock", TimeSpan.FromMinutes(10), cancellationToken))
        {
            var journalPath = keysPath + ".pending";
            if (ImportJournal.Load(journalPath) is { } interrupted)
            {
                // An earlier import was killed part way: take out what it wrote, so this one adds those calls exactly once.
                if (!interrupted.TryUndo(keysPath, killed: true))
                {
                    throw new AiSwitchException(ErrorId.StorageError,
                        $"An earlier {AgentLogReaders.Describe(request.Source)} import stopped part way, and what it wrote cannot be taken out of the ledger yet " +
                        $"(see '{journalPath}'). Nothing was imported; check that the home folder is writable and has free space, then import again.", journalPath);
                }

                File.Delete(journalPath);
                context?.WriteWarning(
                    $"An earlier {AgentLogReaders.Describe(request.Source)} import stopped part way; what it had written was taken out again, and this import adds those calls once.");
            }

            var indexPath = Path.ChangeExtension(keysPath, ".files");
            var index = ImportedFiles.Load(indexPath);
            var stamps = files.Select(ImportedFiles.Stamp.Of).ToList();
            long skipped = 0;
            var toRead = new List<int>();
            for (var f = 0; f < files.Count; f++)
            {
                if (index.Unchanged(files[f], stamps[f], out var known))
                {
                    skipped += known; // read whole by an earlier import and not written since: nothing new in it
                }
                else
                {
                    toRead.Add(f);
                }
            }

            var read = ReadAll(request.Source, files, toRead, cancellationToken);
            var seen = toRead.Count == 0 ? [] : LoadKeys(keysPath);
            var found = new List<ImportedCall>();
            var newKeys = new ArrayBufferWriter<byte>(64 * 1024);
            for (var r = 0; r < toRead.Count; r++)
            {
                foreach (var call in read[r])
                {
                    if (seen.Add(call.Key))
                    {
                        found.Add(call);
                        newKeys.Advance(Encoding.UTF8.GetBytes(call.Key, newKeys.GetSpan(Encoding.UTF8.GetMaxByteCount(call.Key.Length) + 1)));
                        newKeys.GetSpan(1)[0] = (byte)'\n';
                        newKeys.Advance(1);
                    }
                    else
                    {
                        skipped++;
                    }
                }

                index.Set(files[toRead[r]], stamps[toRead[r]], read[r].Count);
            }

            var ran = RunByAiSwitch(found, context);
            var added = found.Where(c => !ran.Covers(c)).Select(c => c.Record).ToList();
            skipped += found.Count - added.Count;
            var batch = Guid.NewGuid().ToString("N");
            var stored = _ledger.Price(added, context);
            if (stored.Count > 0 || newKeys.WrittenCount > 0)
            {
                var days = stored.GroupBy(r => _ledger.PathFor(r.Time)).ToList();
                Commit(ImportJournal.Begin(batch, days.Select(d => d.Key), keysPath), days, newKeys.WrittenMemory, journalPath, keysPath, request.Source);
            }

            if (toRead.Count > 0)
            {
                index.Save(indexPath);
            }

            var totals = new UsageTotals();
            foreach (var record in stored)
            {
                totals.Add(record);
            }

            return new ImportUsageResult
            {
                Source = request.Source, Files = files.Count, Added = stored.Count, Skipped = skipped,
                InputTokens = totals.Input, OutputTokens = totals.Output, CacheReadTokens = totals.CacheRead, CacheWriteTokens = totals.CacheWrite,
                CostUsd = totals.Cost,
                First = stored.Count == 0 ? null : stored.Min(r => r.Time),
                Last = stored.Count == 0 ? null : stored.Max(r => r.Time),
            };
        }
    }

    /// <summary>
    /// The calls in each file to read, in the files' order, read in parallel (a file per worker): the logs are hundreds of
    /// megabytes and each file is independent. Which copy of a call counts is decided afterwards, in file order.
    /// </summary>
    private static List<ImportedCall>[] ReadAll(UsageImportSource source, IReadOnlyList<string> files, List<int> toRead, CancellationToken cancellationToken)
    {
        var read = new List<ImportedCall>[toRead.Count];
        if (toRead.Count == 0)
        {
            return read;
        }

        var threadOf = source == UsageImportSource.Codex ? CodexThreads(files) : null;
        Parallel.For(0, toRead.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, r =>
        {
            var calls = new List<ImportedCall>();
            Read(source, files[toRead[r]], threadOf, calls.Add);
            read[r] = calls;
        });
        return read;
    }

    /// <summary>The journal first, then the lines and keys; a failure undoes what was written, or says what is left.</summary>
    private static void Commit(
        ImportJournal journal, IReadOnlyList<IGrouping<string, LedgerRecord>> days, ReadOnlyMemory<byte> keys, string journalPath, string keysPath, UsageImportSource source)
    {
        journal.Save(journalPath); // fails on a full disk before the ledger is touched
        var appended = new List<string>();
        var lines = new ArrayBufferWriter<byte>(256 * 1024);
        try
        {
            foreach (var day in days)
            {
                // Each day's lines are encoded into one reused buffer just before they are appended, marked with the batch.
                lines.ResetWrittenCount();
                LedgerCodec.Encode(lines, day, journal.Batch);
                AppendOnlyFile.Append(day.Key, lines.WrittenSpan);
                appended.Add(day.Key);
            }

            if (keys.Length > 0)
            {
                AppendOnlyFile.Append(keysPath, keys.Span);
            }
        }
        catch (Exception ex) when (ex is AiSwitchException or IOException or UnauthorizedAccessException)
        {
            var id = ex is AiSwitchException known ? known.Id : ErrorId.StorageError;
            if (journal.TryUndo(keysPath, killed: false, appended))
            {
                File.Delete(journalPath);
                throw new AiSwitchException(id,
                    $"The {AgentLogReaders.Describe(source)} import stopped: {Reason(ex)} What it had written was taken out again, so the ledger is as it was before; " +
                    "fix the cause and import again.", keysPath, ex);
            }

            throw new AiSwitchException(id,
                $"The {AgentLogReaders.Describe(source)} import stopped part way: {Reason(ex)} Some of its records may be in the ledger until the next import " +
                $"of this source takes them out again (from '{journalPath}') and adds them once; fix the cause and import again.", journalPath, ex);
        }

        File.Delete(journalPath);
    }

    /// <summary>The failure without an append's "Nothing was changed", which is about that one write, not the import.</summary>
    private static string Reason(Exception ex)
        => ex.Message.Replace(" Nothing was changed; free some space and try again.", " ", StringComparison.Ordinal).Trim() is var text && text.EndsWith('.') ? text : text + ".";

    /// <summary>
    /// The sessions and calls that tasks AiSwitch ran already put in the ledger (records that are not imports, with the
    /// agent's session id and the call ids), read from the days the found calls fall in and the day either side (a
    /// task is recorded when it ends). Their calls in the agent's own logs are the same calls: skipped, not counted twice.
    /// </summary>
    private RanCalls RunByAiSwitch(List<ImportedCall> found, IOperationContext? context)
    {
        var ran = new RanCalls();
        if (found.Count == 0)
        {
            return ran;
        }

        var first = found.Min(c => c.Record.Time).AddDays(-1);
        var last = found.Max(c => c.Record.Time).AddDays(2);
        _ledger.Scan(first, last, record =>
        {
            if (record.TaskType == "import")
            {
                return;
            }

            if (record.SessionId is { } session)
            {
                ran.Sessions.Add(session);
            }

            if (record.RequestId is { } ids)
            {
                ran.Calls.UnionWith(ids.Split(',', StringSplitOptions.RemoveEmptyEntries));
            }
        }, context, withIds: true);
        return ran;
    }

    /// <summary>
    /// A task's record less the calls an import already took from the same agent session (the import read the agent's
    /// log while the task was still running), so the other order does not count them twice either. Only for the CLI
    /// agents whose logs can be imported, and only once that source has been imported at all.
    /// </summary>
    internal static LedgerRecord LessImported(TokenLedger ledger, LedgerRecord record)
    {
        UsageImportSource? source = record.Adapter switch
        {
            "claude-code" or "claude-code-session" => UsageImportSource.Claude,
            "codex" => UsageImportSource.Codex,
            "gemini" => UsageImportSource.Gemini,
            _ => null,
        };
        var keys = source is null ? null : Path.Combine(Path.GetDirectoryName(ledger.Directory)!, "imports", KeysName(source.Value) + ".keys");
        if (record.SessionId is not { } session || keys is null || !File.Exists(keys))
        {
            return record;
        }

        var taken = new UsageTotals();
        ledger.Scan(record.Time.AddDays(-2), record.Time.AddDays(1), r =>
        {
            if (r.TaskType == "import" && r.SessionId == session)
            {
                taken.Add(r);
            }
        }, null, withIds: true);
        if (taken.Requests == 0)
        {
            return record;
        }

        return new LedgerRecord
        {
            Time = record.Time, Agent = record.Agent, TaskId = record.TaskId, Adapter = record.Adapter, Preset = record.Preset,
            Model = record.Model, TaskType = record.TaskType, SessionId = record.SessionId, RequestId = record.RequestId, Status = record.Status,
            InputTokens = Math.Max(0, record.InputTokens - taken.Input), OutputTokens = Math.Max(0, record.OutputTokens - taken.Output),
            CacheReadTokens = Math.Max(0, record.CacheReadTokens - taken.CacheRead), CacheWriteTokens = Math.Max(0, record.CacheWriteTokens - taken.CacheWrite),
            CacheWrite1hTokens = Math.Max(0, record.CacheWrite1hTokens - taken.CacheWrite1h), ReasoningTokens = Math.Max(0, record.ReasoningTokens - taken.Reasoning),
            // The agent's own cost covered the whole task; what is left is priced from the table.
            CostUsd = null, CostSource = CostSource.None,
        };
    }

    private sealed class RanCalls
    {
        public HashSet<string> Sessions { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Calls { get; } = new(StringComparer.Ordinal);

        public bool Covers(ImportedCall call)
            => (call.Record.SessionId is { } session && Sessions.Contains(session)) || (call.CallId is { } id && Calls.Contains(id));
    }

    // Claude's keys file keeps the name it had when the source was ClaudeCode, so a home's earlier imports stay known.
    private static string KeysName(UsageImportSource source)
        => source == UsageImportSource.Claude ? "claudecode" : source.ToString().ToLowerInvariant();

    private static string Pattern(UsageImportSource source) => Canonical(source) switch
    {
        UsageImportSource.Claude => "*.jsonl under projects",
        UsageImportSource.Codex => "rollout *.jsonl under sessions",
        _ => "chats/session-*.jsonl and chats/session-*.json under tmp/<project>",
    };

    private static IEnumerable<string> Files(UsageImportSource source, string root)
    {
        if (File.Exists(root))
        {
            return [root];
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        return source == UsageImportSource.Gemini
            ? Directory.EnumerateFiles(root, "*.json*", options).Where(f => IsGeminiChat(root, f))
            : Directory.EnumerateFiles(root, "*.jsonl", options);
    }

    /// <summary>A chat recording: <c>.json</c> (before 0.61) or <c>.jsonl</c>, in a <c>chats</c> folder or a subagent's folder below it.</summary>
    private static bool IsGeminiChat(string root, string file)
    {
        if (!file.EndsWith(".json", StringComparison.Ordinal) && !file.EndsWith(".jsonl", StringComparison.Ordinal))
        {
            return false;
        }

        var relative = Path.GetRelativePath(root, Path.GetDirectoryName(file)!);
        return relative.Split(Path.DirectorySeparatorChar).Contains("chats") || Path.GetFileName(root) == "chats";
    }

    /// <summary>Maps each Codex session to the first thread of its fork chain, so a fork's replay of its parent keys as the parent.</summary>
    private static Func<string, string> CodexThreads(IReadOnlyList<string> files)
    {
        var parents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (AgentLogReaders.CodexSession(file) is { Id: { } id, ForkedFrom: { } parent })
            {
                parents[id] = parent;
            }
        }

        return id =>
        {
            for (var hops = 0; hops < 64 && parents.TryGetValue(id, out var parent); hops++)
            {
                id = parent;
            }

            return id;
        };
    }

    private static void Read(UsageImportSource source, string file, Func<string, string>? threadOf, Action<ImportedCall> found)
    {
        switch (source)
        {
            case UsageImportSource.Claude:
                AgentLogReaders.ReadClaudeCode(file, found);
                break;
            case UsageImportSource.Codex:
                AgentLogReaders.ReadCodex(file, found, threadOf);
                break;
            default:
                AgentLogReaders.ReadGemini(file, found);
                break;
        }
    }

    private static HashSet<string> LoadKeys(string path)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        JsonLinesReader.Scan(path, 0, (line, _) => keys.Add(Encoding.UTF8.GetString(line)));
        return keys;
    }
}
