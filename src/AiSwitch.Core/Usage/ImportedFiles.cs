using System.Globalization;
using System.Text;
using AiSwitch.Core.Home;

namespace AiSwitch.Core.Usage;

/// <summary>
/// What imports of one source saw of each log file (<c>state/imports/&lt;source&gt;.files</c>): its length and last write
/// time, and how many calls it held. A file unchanged since then holds no call the keys file does not already have, so an
/// import skips it unread: importing the same logs again reads nothing. The list is written after the import's lines and
/// keys are in; when it is lost or stale, files are only read again and their calls found known, never counted twice.
/// </summary>
internal sealed class ImportedFiles
{
    private const string Header = "aiswitch-imported-files 1";
    private readonly Dictionary<string, (Stamp Stamp, long Calls)> _files;

    private ImportedFiles(Dictionary<string, (Stamp, long)> files) => _files = files;

    /// <summary>A file's length and last write time (UTC ticks): what changes when a CLI appends to its log.</summary>
    public readonly record struct Stamp(long Length, long WriteTicks)
    {
        public static Stamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new Stamp(info.Length, info.LastWriteTimeUtc.Ticks) : default;
        }
    }

    public static ImportedFiles Load(string path)
    {
        var files = new Dictionary<string, (Stamp, long)>(StringComparer.Ordinal);
        var lines = AtomicFile.ReadOrNull(path) is { } content ? Encoding.UTF8.GetString(content).Split('\n') : [];
        if (lines.Length > 0 && lines[0] == Header)
        {
            foreach (var line in lines.Skip(1))
            {
                // length, write time, calls, path: the path last, so a tab in it needs nothing special.
                var parts = line.Split('\t', 4);
                if (parts.Length == 4 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                    && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                    && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var calls))
                {
                    files[parts[3]] = (new Stamp(length, ticks), calls);
                }
            }
        }

        return new ImportedFiles(files);
    }

    /// <summary>True when <paramref name="file"/> was read whole at exactly this stamp; <paramref name="calls"/> is what it held.</summary>
    public bool Unchanged(string file, Stamp stamp, out long calls)
    {
        var unchanged = _files.TryGetValue(file, out var seen) && stamp.Length > 0 && seen.Stamp == stamp;
        calls = unchanged ? seen.Calls : 0;
        return unchanged;
    }

    public void Set(string file, Stamp stamp, long calls)
    {
        if (!file.Contains('\n', StringComparison.Ordinal))
        {
            _files[file] = (stamp, calls);
        }
    }

    public void Save(string path)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var (file, (stamp, calls)) in _files)
        {
            text.Append(CultureInfo.InvariantCulture, $"{stamp.Length}\t{stamp.WriteTicks}\t{calls}\t{file}\n");
        }

        // Not synced: a list lost to a crash costs one import a re-read, nothing else.
        AtomicFile.Write(path, Encoding.UTF8.GetBytes(text.ToString()), durable: false);
    }
}
