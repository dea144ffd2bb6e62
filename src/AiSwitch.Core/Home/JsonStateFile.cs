using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AiSwitch.Core.Home;

/// <summary>
/// One JSON state file: <c>{"schema_version": N, "data": …}</c>, written atomically, with the previous
/// good content kept beside it as <c>&lt;name&gt;.bak</c>. A corrupt or truncated file is never overwritten:
/// reading it fails with <see cref="ErrorId.StateFileCorrupt"/>, naming the file, what is wrong and the backup.
/// Read-modify-write across processes goes through <see cref="Update"/>, which holds a file mutex.
/// </summary>
internal sealed class JsonStateFile<T> where T : class
{
    private readonly JsonTypeInfo<T> _typeInfo;

    public JsonStateFile(string path, JsonTypeInfo<T> typeInfo, int schemaVersion = 1)
    {
        Path = path;
        _typeInfo = typeInfo;
        SchemaVersion = schemaVersion;
    }

    public string Path { get; }

    public string BackupPath => Path + ".bak";

    public int SchemaVersion { get; }

    /// <summary>The stored value, or null when the file does not exist yet.</summary>
    public T? Read() => Parse(AtomicFile.ReadOrNull(Path));

    public void Write(T value, bool durable = true)
    {
        using (FileMutex.Acquire(Path + ".lock"))
        {
            WriteUnlocked(value, AtomicFile.ReadOrNull(Path), durable);
        }
    }

    /// <summary>
    /// Reads, changes and writes the value while holding the file's mutex, so concurrent sessions and
    /// processes never lose each other's changes. Returns the value written.
    /// </summary>
    public T Update(Func<T?, T> change, bool durable = true)
    {
        using (FileMutex.Acquire(Path + ".lock"))
        {
            var currentBytes = AtomicFile.ReadOrNull(Path);
            var updated = change(Parse(currentBytes));
            WriteUnlocked(updated, currentBytes, durable);
            return updated;
        }
    }

    private void WriteUnlocked(T value, byte[]? currentBytes, bool durable)
    {
        if (currentBytes is not null)
        {
            // Refuses to replace a corrupt file: the user must see it first (the error says how to recover).
            Parse(currentBytes);
            AtomicFile.Write(BackupPath, currentBytes, durable: false);
        }

        AtomicFile.Write(Path, Serialize(value), durable);
    }

    private byte[] Serialize(T value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schema_version", SchemaVersion);
            writer.WritePropertyName("data");
            JsonSerializer.Serialize(writer, value, _typeInfo);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private T? Parse(byte[]? bytes)
    {
        if (bytes is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("schema_version", out var version)
                || version.ValueKind != JsonValueKind.Number)
            {
                throw Corrupt("it has no \"schema_version\" number at the top level");
            }

            if (version.GetInt32() > SchemaVersion)
            {
                throw new AiSwitchException(ErrorId.StateFileTooNew,
                    $"State file '{Path}' has schema version {version.GetInt32()}, but this AiSwitch reads up to {SchemaVersion}. Update AiSwitch; the file was left as it is.",
                    Path);
            }

            if (!root.TryGetProperty("data", out var data))
            {
                throw Corrupt("it has no \"data\" member");
            }

            return data.Deserialize(_typeInfo) ?? throw Corrupt("its \"data\" member is null");
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1}" : string.Empty;
            throw Corrupt($"it is not valid JSON{where} ({FirstSentence(ex.Message)})", ex);
        }
    }

    private AiSwitchException Corrupt(string what, Exception? inner = null)
    {
        var backup = File.Exists(BackupPath)
            ? $"The last good copy is '{BackupPath}': copy it over the file to restore it"
            : "There is no backup; move the file aside to start afresh";
        return new AiSwitchException(ErrorId.StateFileCorrupt,
            $"State file '{Path}' is corrupt: {what}. Nothing was changed. {backup}.", Path, inner);
    }

    private static string FirstSentence(string message)
    {
        var dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot > 0 ? message[..dot] : message.TrimEnd('.');
    }
}
