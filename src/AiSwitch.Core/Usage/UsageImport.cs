namespace AiSwitch.Core.Usage;

/// <summary>What to import: a source, and files or folders to read instead of its default places.</summary>
public sealed class ImportUsageRequest
{
    public required UsageImportSource Source { get; init; }

    public IReadOnlyList<string>? Path { get; init; }
}
