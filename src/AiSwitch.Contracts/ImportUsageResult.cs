namespace AiSwitch;

/// <summary>Whose logs Import-AiTokenUsage reads, by the name of the built-in agent (claude, codex, gemini).</summary>
// long-based so that ConvertTo-Json writes the name, not a number (see TaskState).
public enum UsageImportSource : long
{
    /// <summary>Claude Code's session logs: <c>~/.claude/projects/**/*.jsonl</c>, <c>~/.config/claude/projects</c>, <c>CLAUDE_CONFIG_DIR</c>.</summary>
    Claude,
    /// <summary>Codex's rollout files: <c>$CODEX_HOME/sessions/**/*.jsonl</c> (default <c>~/.codex</c>).</summary>
    Codex,
    /// <summary>Gemini CLI's chat recordings: <c>~/.gemini/tmp/*/chats/*.json</c>.</summary>
    Gemini,
    /// <summary>
    /// Claude's name before sources took the agents' names, kept so older scripts still run; an import reads it as
    /// <see cref="Claude"/>. A value of its own, so <see cref="Claude"/> always prints as Claude.
    /// </summary>
    ClaudeCode,
}

/// <summary>What an import added to the ledger.</summary>
public sealed class ImportUsageResult
{
    public UsageImportSource Source { get; init; }

    public int Files { get; init; }

    /// <summary>Model calls added to the ledger.</summary>
    public long Added { get; init; }

    /// <summary>Calls already in the ledger (an earlier import, a repeated content block, a resumed or forked session's copy).</summary>
    public long Skipped { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long CacheReadTokens { get; init; }

    public long CacheWriteTokens { get; init; }

    /// <summary>The cost of what was added; null when none of it could be priced.</summary>
    public decimal? CostUsd { get; init; }

    public DateTimeOffset? First { get; init; }

    public DateTimeOffset? Last { get; init; }
}
