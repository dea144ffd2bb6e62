using System.Globalization;
using System.Text;
using AiSwitch.Core.Home;

namespace AiSwitch.Core.Usage;

/// <summary>
/// Makes an import all or nothing. Before the ledger is touched, a small journal names the import's batch, the day files
/// it will append to and the length of the keys file before it. Then the lines (each marked with the batch id) are
/// appended, then the keys, then the journal is deleted. An import that stops part way is undone from its journal: the
/// batch's lines come out of the day files (with any fragment a killed append left), and the keys file is cut back, so
/// the calls are not known yet and the next import reads them again. A write that fails (a full disk) is undone at once;
/// a killed import is undone by the next one before it reads. The journal holds no records, so an import writes its
/// lines once (a journal of the lines themselves doubled the bytes written and was most of the import's time).
/// </summary>
internal sealed class ImportJournal
{
    private const string Header = "aiswitch-import-journal 2";

    private ImportJournal(string batch, IReadOnlyList<string> days, long keysLength)
    {
        Batch = batch;
        Days = days;
        KeysLength = keysLength;
    }

    public string Batch { get; }

    /// <summary>The day files the import appends to.</summary>
    public IReadOnlyList<string> Days { get; }

    /// <summary>The keys file's length before the import: what an undo cuts it back to.</summary>
    public long KeysLength { get; }

    public static ImportJournal Begin(string batch, IEnumerable<string> days, string keysPath)
        => new(batch, [.. days], File.Exists(keysPath) ? new FileInfo(keysPath).Length : 0);

    public static string MarkerOf(string batch) => "\"import_batch\":\"" + batch + "\"";

    public void Save(string path)
    {
        var text = new StringBuilder()
            .Append(Header).Append('\n')
            .Append("batch ").Append(Batch).Append('\n')
            .Append("keys ").Append(KeysLength.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var day in Days)
        {
            text.Append("day ").Append(day).Append('\n');
        }

        AtomicFile.Write(path, Encoding.UTF8.GetBytes(text.Append("end\n").ToString()));
    }

    /// <summary>
    /// The journal at <paramref name="path"/>; null when there is none. A journal that is not whole was never acted on
    /// (it is written atomically before the first append), so it is null too.
    /// </summary>
    public static ImportJournal? Load(string path)
    {
        if (AtomicFile.ReadOrNull(path) is not { } content)
        {
            return null;
        }

        var lines = Encoding.UTF8.GetString(content).Split('\n');
        if (lines.Length < 4 || lines[0] != Header || !lines[1].StartsWith("batch ", StringComparison.Ordinal)
            || !lines[2].StartsWith("keys ", StringComparison.Ordinal) || !long.TryParse(lines[2].AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var keysLength)
            || !lines.Contains("end"))
        {
            return null;
        }

        var days = lines.Skip(3).TakeWhile(l => l != "end").Where(l => l.StartsWith("day ", StringComparison.Ordinal)).Select(l => l[4..]).ToList();
        return new ImportJournal(lines[1][6..], days, keysLength);
    }

    /// <summary>
    /// Takes out what the import wrote: its lines from each day file and the keys it appended; true when that worked for
    /// all of them. When <paramref name="killed"/>, also the unreadable fragments in those day files (an append cut off
    /// by the kill leaves one, maybe before its batch marker). <paramref name="appended"/>: the day files known to have been
    /// appended to (a failed append needs nothing, it cut its file back itself); all the journal's days when not known.
    /// </summary>
    public bool TryUndo(string keysPath, bool killed, IReadOnlyCollection<string>? appended = null)
    {
        var marker = Encoding.UTF8.GetBytes(MarkerOf(Batch));
        var strings = new StringTable();
        try
        {
            foreach (var day in appended ?? Days)
            {
                AppendOnlyFile.RemoveLines(day, line => line.Span.IndexOf(marker) >= 0 || (killed && !LedgerCodec.TryRead(line.Span, strings, false, out _)));
            }

            if (File.Exists(keysPath))
            {
                using var keys = new FileStream(keysPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                if (keys.Length > KeysLength)
                {
                    keys.SetLength(KeysLength);
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is AiSwitchException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
