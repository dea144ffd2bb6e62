using System.Buffers;
using System.Text.Json;
using AiSwitch.Core.Home;

namespace AiSwitch.Core.Environments;

/// <summary>
/// <c>logs/environments.jsonl</c>: one line per switch, snapshot and rollback (who changed what, when).
/// Names only, never a value. Logging never fails the operation it records.
/// </summary>
internal sealed class EnvironmentLog(AiHome home, TimeProvider clock)
{
    public string Path => System.IO.Path.Combine(home.LogsDir, "environments.jsonl");

    public void Write(string action, string target, string? preset, string? previousPreset, string? snapshotId,
        IEnumerable<string> variables, IEnumerable<string> removed)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("time", clock.GetUtcNow());
            writer.WriteString("action", action);
            writer.WriteString("agent", target);
            writer.WriteString("preset", preset);
            writer.WriteString("previous_preset", previousPreset);
            writer.WriteString("snapshot_id", snapshotId);
            WriteNames(writer, "variables", variables);
            WriteNames(writer, "removed", removed);
            writer.WriteNumber("pid", Environment.ProcessId);
            writer.WriteEndObject();
        }

        try
        {
            PrivateDirectory.Create(home.LogsDir);
            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = PrivateDirectory.FileMode;
            }

            using var stream = new FileStream(Path, options);
            buffer.Write("\n"u8);
            stream.Write(buffer.WrittenSpan); // one write per line: appends from several processes do not interleave
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or AiSwitchException)
        {
            // The change itself succeeded; an unwritable log must not turn it into a failure.
        }
    }

    private static void WriteNames(Utf8JsonWriter writer, string property, IEnumerable<string> names)
    {
        writer.WriteStartArray(property);
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
    }
}
