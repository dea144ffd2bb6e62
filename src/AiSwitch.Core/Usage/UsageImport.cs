namespace AiSwitch.Core.Usage;

/// <summary>What to import: a source, and files or folders to read instead of its default places.</summary>
public sealed class ImportUsageRequest
{
    /// <summary>The source; the old name ClaudeCode is read as Claude.</summary>
    public required UsageImportSource Source { get; init => field = UsageImporter.Canonical(value); }

    public IReadOnlyList<string>? Path { get; init; }
}
