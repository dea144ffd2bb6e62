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
            var seen = LoadKeys(keysPath);
            var added = new List<LedgerRecord>();
            var newKeys = new StringBuilder();
            long skipped = 0;
            var progress = 0;
            var threadOf = request.Source == UsageImportSource.Codex ? CodexThreads(files) : null;
            foreach (var file in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                context?.WriteProgress(new OperationProgress(1, $"Importing {AgentLogReaders.Describe(request.Source)} usage", file,
                    (int)(100L * progress++ / files.Count)));
                Read(request.Source, file, threadOf, call =>
                {
                    if (seen.Add(call.Key))
                    {
                        added.Add(call.Record);
                        newKeys.Append(call.Key).Append('\n');
                    }
                    else
                    {
                        skipped++;
                    }
                });
            }

            context?.WriteProgress(new OperationProgress(1, $"Importing {AgentLogReaders.Describe(request.Source)} usage", "Done", 100, Completed: true));
            // Ledger first, keys second: a crash in between can at worst import those calls again, never lose them.
            var stored = _ledger.AppendMany(added, context);
            if (newKeys.Length > 0)
            {
                AppendOnlyFile.Append(keysPath, Encoding.UTF8.GetBytes(newKeys.ToString()));
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
