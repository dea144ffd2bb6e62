using System.Security.Cryptography;
using System.Text.Json;

namespace AiSwitch.Core.Environments;

/// <summary>
/// A snapshot as stored under <c>state/snapshots/&lt;target&gt;/&lt;id&gt;.json</c> (0600): the real values of the
/// variables the target managed or was about to change, the names it did not have, and the checksum.
/// </summary>
internal sealed class SnapshotRecord
{
    public required string SnapshotId { get; init; }

    public required string Agent { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    public string? PresetName { get; init; }

    public string? Description { get; init; }

    /// <summary>Variables the target had: restored as they were.</summary>
    public required Dictionary<string, string> Variables { get; init; }

    /// <summary>Variables the target did not have: removed on restore.</summary>
    public required List<string> Unset { get; init; }

    /// <summary>The names the preset in effect had set (so a later switch knows what to remove).</summary>
    public required List<string> Managed { get; init; }

    public string Checksum { get; init; } = string.Empty;

    public SnapshotRecord WithChecksum() => new()
    {
        SnapshotId = SnapshotId,
        Agent = Agent,
        Timestamp = Timestamp,
        PresetName = PresetName,
        Description = Description,
        Variables = Variables,
        Unset = Unset,
        Managed = Managed,
        Checksum = ComputeChecksum(),
    };

    public bool ChecksumMatches() => string.Equals(Checksum, ComputeChecksum(), StringComparison.Ordinal);

    /// <summary>
    /// SHA-256 over a canonical form: compact JSON with the fields in a fixed order, the timestamp in UTC
    /// round-trip form, and every map and list sorted ordinally, so the digest does not depend on how the
    /// file was formatted or ordered, only on what it says.
    /// </summary>
    public string ComputeChecksum()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("snapshot_id", SnapshotId);
            writer.WriteString("agent", Agent);
            writer.WriteString("timestamp", Timestamp.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("preset_name", PresetName);
            writer.WriteString("description", Description);
            writer.WriteStartObject("variables");
            foreach (var name in Variables.Keys.Order(StringComparer.Ordinal))
            {
                writer.WriteString(name, Variables[name]);
            }

            writer.WriteEndObject();
            WriteSorted(writer, "unset", Unset);
            WriteSorted(writer, "managed", Managed);
            writer.WriteEndObject();
        }

        return "sha256:" + Convert.ToHexString(SHA256.HashData(buffer.WrittenSpan)).ToLowerInvariant();
    }

    private static void WriteSorted(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values.Order(StringComparer.Ordinal))
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}

/// <summary>An agent's environment as stored under <c>state/environments/&lt;agent&gt;.json</c> (0600), read when the agent is launched.</summary>
internal sealed class AgentEnvironmentRecord
{
    public required string Agent { get; init; }

    public string? Preset { get; init; }

    /// <summary>The variables to set in the agent's process: real values (the file is 0600, never shown).</summary>
    public required Dictionary<string, string> Variables { get; init; }

    public DateTimeOffset? SwitchedAt { get; init; }
}
