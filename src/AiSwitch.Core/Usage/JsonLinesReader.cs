using System.Runtime.CompilerServices;
using System.Buffers;
using AiSwitch.Core.Home;

namespace AiSwitch.Core.Usage;

/// <summary>What a scan of one JSON-lines file found.</summary>
/// <param name="EndOffset">Where the next scan should start: just past the last complete line.</param>
/// <param name="Lines">Complete lines handed to the visitor.</param>
/// <param name="Unfinished">True when the file ends in a line with no newline yet (being written, or left by a killed writer).</param>
internal readonly record struct JsonLinesScan(long EndOffset, long Lines, bool Unfinished);

/// <summary>
/// Streams the lines of a JSON-lines file through pooled buffers: no string per line, no whole-file read. Lines are
/// handed to the visitor as spans valid only during the call.
/// </summary>
internal static class JsonLinesReader
{
    public delegate void LineVisitor(ReadOnlySpan<byte> line, long lineNumber);

    private const int BufferSize = 1 << 20;

    /// <summary>Reads complete lines from <paramref name="startOffset"/>; a final line without '\n' is not consumed.</summary>
    public static JsonLinesScan Scan(string path, long startOffset, LineVisitor visit)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                BufferSize = 0,
                Options = FileOptions.SequentialScan,
            });
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new JsonLinesScan(startOffset, 0, false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw AtomicFile.StorageFailure(path, ex);
        }

        using (stream)
        {
            stream.Position = startOffset;
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                return ScanStream(stream, startOffset, ref buffer, visit);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static JsonLinesScan ScanStream(FileStream stream, long offset, ref byte[] buffer, LineVisitor visit)
    {
        var filled = 0;
        long lines = 0;
        var consumedOffset = offset;
        // Only what the file held when the scan began: lines appended meanwhile are the next scan's (from EndOffset), and a
        // path that is not a regular file (a device: no length) yields nothing instead of reading without end.
        var left = Math.Max(0, stream.Length - offset);
        while (true)
        {
            if (filled == buffer.Length)
            {
                // One line longer than the buffer: grow it.
                var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                buffer.AsSpan(0, filled).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = bigger;
            }

            var read = left == 0 ? 0 : stream.Read(buffer, filled, (int)Math.Min(buffer.Length - filled, left));
            left -= read;
            if (read == 0)
            {
                return new JsonLinesScan(consumedOffset, lines, filled > 0);
            }

            filled += read;
            var start = 0;
            while (true)
            {
                var newline = buffer.AsSpan(start, filled - start).IndexOf((byte)'\n');
                if (newline < 0)
                {
                    break;
                }

                var line = buffer.AsSpan(start, newline);
                if (!line.IsEmpty && line[^1] == (byte)'\r')
                {
                    line = line[..^1];
                }

                lines++;
                if (!line.IsEmpty)
                {
                    visit(line, lines);
                }

                start += newline + 1;
                consumedOffset += newline + 1;
            }

            if (start > 0)
            {
                buffer.AsSpan(start, filled - start).CopyTo(buffer);
                filled -= start;
            }
        }
    }
}
