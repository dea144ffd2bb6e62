using System.Text;
using AiSwitch.Core.Home;

namespace AiSwitch.Core.Usage;

/// <summary>
/// Makes an import all or nothing. Before the ledger is touched, everything the import will write (its ledger lines by
/// day file, each marked with the import's batch id, and its dedupe keys) goes into one journal file, written atomically.
/// Then the lines are appended, then the keys, then the journal is deleted. A writer killed part way leaves the journal:
/// the next import first removes that batch's lines from the day files and appends them all again (so a torn or partial
/// append is replaced whole), then the keys. A write that fails (a full disk) is undone at once the same way.
/// </summary>
internal sealed class ImportJournal
{
    private const string Header = "aiswitch-import-journal 1";
    private int _written;

    private ImportJournal(string batch, IReadOnlyList<(string Path, byte[] Lines)> days, byte[] keys)
    {
        Batch = batch;
        Days = days;
        Keys = keys;
    }

    public string Batch { get; }

    public IReadOnlyList<(string Path, byte[] Lines)> Days { get; }

    public byte[] Keys { get; }

    /// <summary>How many ledger records the journal holds.</summary>
    public int Records => Days.Sum(d => d.Lines.Count(b => b == (byte)'\n'));

    public static ImportJournal Create(string batch, IReadOnlyList<(string Path, byte[] Lines)> days, string keys)
        => new(batch, days, Encoding.UTF8.GetBytes(keys));

    public static string MarkerOf(string batch) => "\"import_batch\":\"" + batch + "\"";

    public void Save(string path)
    {
        var content = new MemoryStream();
        void Line(string text)
        {
            content.Write(Encoding.UTF8.GetBytes(text));
            content.WriteByte((byte)'\n');
        }

        Line(Header);
        Line("batch " + Batch);
        foreach (var (day, lines) in Days)
        {
            Line("day " + day);
            content.Write(lines);
        }

        Line("keys");
        content.Write(Keys);
        AtomicFile.Write(path, content.GetBuffer().AsSpan(0, (int)content.Length));
    }

    /// <summary>The journal at <paramref name="path"/>, or null when there is none (or it is not whole: it was never committed).</summary>
    public static ImportJournal? Load(string path)
    {
        if (AtomicFile.ReadOrNull(path) is not { } content)
        {
            return null;
        }

        var lines = Encoding.UTF8.GetString(content).Split('\n');
        if (lines.Length < 3 || lines[0] != Header || !lines[1].StartsWith("batch ", StringComparison.Ordinal))
        {
            return null;
        }

        var days = new List<(string, byte[])>();
        var keys = new StringBuilder();
        string? day = null;
        var current = new StringBuilder();
        var inKeys = false;
        foreach (var line in lines.Skip(2))
        {
            if (inKeys)
            {
                if (line.Length > 0)
                {
                    keys.Append(line).Append('\n');
                }
            }
            else if (line.StartsWith("day ", StringComparison.Ordinal) || line == "keys")
            {
                if (day is not null)
                {
                    days.Add((day, Encoding.UTF8.GetBytes(current.ToString())));
                }

                current.Clear();
                day = line == "keys" ? null : line[4..];
                inKeys = line == "keys";
            }
            else if (line.Length > 0)
            {
                current.Append(line).Append('\n');
            }
        }

        return inKeys ? new ImportJournal(lines[1][6..], days, Encoding.UTF8.GetBytes(keys.ToString())) : null;
    }

    /// <summary>
    /// Writes the journal's lines and keys. When <paramref name="again"/> (a journal left by an import that stopped),
    /// lines of this batch already in a day file are removed first, so the batch ends up there exactly once.
    /// </summary>
    public void Commit(string keysPath, bool again)
    {
        var marker = Encoding.UTF8.GetBytes(MarkerOf(Batch));
        var strings = new StringTable();
        foreach (var (day, lines) in Days)
        {
            if (again)
            {
                // The batch's own lines, and the fragment its killed append may have left (torn before the marker).
                AppendOnlyFile.RemoveLines(day, line => line.Span.IndexOf(marker) >= 0 || !LedgerCodec.TryRead(line.Span, strings, false, out _));
            }

            AppendOnlyFile.Append(day, lines);
            _written++;
        }

        if (Keys.Length > 0)
        {
            AppendOnlyFile.Append(keysPath, Keys);
        }
    }

    /// <summary>
    /// Removes this batch's lines from the day files <see cref="Commit"/> appended to; true when that worked for all of them.
    /// The append that failed needs nothing: it cut its file back itself.
    /// </summary>
    public bool TryUndo()
    {
        var marker = Encoding.UTF8.GetBytes(MarkerOf(Batch));
        try
        {
            foreach (var (day, _) in Days.Take(_written))
            {
                AppendOnlyFile.RemoveLines(day, line => line.Span.IndexOf(marker) >= 0);
            }

            return true;
        }
        catch (Exception ex) when (ex is AiSwitchException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
