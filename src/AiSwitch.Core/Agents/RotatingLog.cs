using System.Globalization;
using System.Text;
using AiSwitch.Core.Home;

namespace AiSwitch.Core.Agents;

/// <summary>
/// An agent's log, logs/agents/&lt;name&gt;.log: lines appended with a timestamp and the pid, rotated by size to
/// .1, .2 … .N (the oldest dropped). Several processes of one agent, in several sessions, may append at once;
/// rotation happens under a file mutex, and each write reopens the file if another writer rotated it away.
/// </summary>
internal sealed class RotatingLog
{
    public const long DefaultMaxBytes = 5 * 1024 * 1024;
    public const int DefaultKeep = 3;

    private readonly object _gate = new();

    public RotatingLog(string path, long maxBytes = DefaultMaxBytes, int keep = DefaultKeep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1024);
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        Path = path;
        MaxBytes = maxBytes;
        Keep = keep;
    }

    public string Path { get; }

    public long MaxBytes { get; }

    /// <summary>How many rotated files are kept beside the current one.</summary>
    public int Keep { get; }

    /// <summary>The log of <paramref name="agent"/> under <paramref name="home"/>.</summary>
    public static string PathFor(AiHome home, string agent) => System.IO.Path.Combine(home.LogsDir, "agents", agent + ".log");

    /// <summary>Appends one line: <c>2026-11-21T22:50:01.123Z [pid 1234] text</c>.</summary>
    public void WriteLine(int pid, string line, DateTimeOffset at)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{at.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} [pid {pid}] {line}\n");
        Append(Encoding.UTF8.GetBytes(text));
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            if (Length() + bytes.Length > MaxBytes)
            {
                Rotate(bytes.Length);
            }

            using var stream = Open();
            stream.Write(bytes);
        }
    }

    private long Length()
    {
        var info = new FileInfo(Path);
        return info.Exists ? info.Length : 0;
    }

    private void Rotate(int incoming)
    {
        using var mutex = FileMutex.Acquire(Path + ".lock");
        if (Length() + incoming <= MaxBytes)
        {
            return; // another writer rotated it meanwhile
        }

        if (Keep == 0)
        {
            File.Delete(Path);
            return;
        }

        File.Delete(Numbered(Keep));
        for (var i = Keep - 1; i >= 1; i--)
        {
            if (File.Exists(Numbered(i)))
            {
                File.Move(Numbered(i), Numbered(i + 1));
            }
        }

        if (File.Exists(Path))
        {
            File.Move(Path, Numbered(1));
        }
    }

    private string Numbered(int index) => Path + "." + index.ToString(CultureInfo.InvariantCulture);

    private FileStream Open()
    {
        PrivateDirectory.Create(System.IO.Path.GetDirectoryName(Path)!);
        var options = new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateDirectory.FileMode;
        }

        return new FileStream(Path, options);
    }
}
