namespace AiSwitch;

/// <summary>What Import-AiPreset did with one preset.</summary>
// long-based so that ConvertTo-Json writes the name, not a number (see TaskState).
public enum ImportStatus : long
{
    Imported,
    Replaced,
    Skipped,
    Failed,
}

/// <summary>What happened to one preset of an import.</summary>
public sealed class ImportPresetResult
{
    public required string Name { get; init; }

    public ImportStatus Status { get; init; }

    public int VariableCount { get; init; }

    /// <summary>The original's file.</summary>
    public required string SourcePath { get; init; }

    /// <summary>The AiSwitch preset file written, or that would have been (skipped, failed).</summary>
    public string? Destination { get; init; }

    /// <summary>Why a preset was skipped or failed; empty when it was imported.</summary>
    public string Message { get; init; } = string.Empty;
}
