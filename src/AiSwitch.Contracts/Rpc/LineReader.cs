using System.Buffers;

namespace AiSwitch.Rpc;

internal enum LineStatus
{
    Line,
    Oversized,
    End,
}

/// <summary>
/// Splits a stream into newline-terminated lines in one pooled buffer. A line longer than the limit is
/// reported once and then skipped up to its newline, so the buffer never grows much past the limit.
/// The last line may end at end of stream without a newline.
/// </summary>
internal sealed class LineReader : IDisposable
{
    private const int InitialSize = 4 * 1024;
    private const int ShrinkAbove = 256 * 1024;

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scanned;
    private bool _skipping;
    private bool _endOfStream;

    public LineReader(Stream stream, int maxLineBytes)
    {
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialSize, maxLineBytes + 1));
    }

    /// <summary>The line found by the last <see cref="ReadAsync"/> (without its newline); valid until the next call.</summary>
    public ReadOnlyMemory<byte> Line { get; private set; }

    /// <summary>The buffer's current size (for tests that prove a long line is never held whole).</summary>
    internal int Capacity => _buffer.Length;

    /// <summary>The length of the oversized line reported, as far as it had been read when it was rejected.</summary>
    public long OversizedLength { get; private set; }

    public async ValueTask<LineStatus> ReadAsync(CancellationToken cancellationToken)
    {
        Line = default;
        while (true)
        {
            var newline = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var lineEnd = _scanned + newline;
                var length = lineEnd - _start;
                _start = _scanned = lineEnd + 1;
                if (_skipping)
                {
                    // The tail of a line already reported as oversized.
                    _skipping = false;
                    continue;
                }

                if (length > _maxLineBytes)
                {
                    OversizedLength = length;
                    return LineStatus.Oversized;
                }

                Line = _buffer.AsMemory(lineEnd - length, length);
                return LineStatus.Line;
            }

            _scanned = _end;
            if (_skipping)
            {
                _start = _scanned = _end = 0;
            }
            else if (_end - _start > _maxLineBytes)
            {
                OversizedLength = _end - _start;
                _skipping = true;
                _start = _scanned = _end = 0;
                return LineStatus.Oversized;
            }

            if (_endOfStream)
            {
                if (_end > _start && !_skipping)
                {
                    Line = _buffer.AsMemory(_start, _end - _start);
                    _start = _scanned = _end;
                    return LineStatus.Line;
                }

                return LineStatus.End;
            }

            MakeRoom();
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _endOfStream = true;
            }
            else
            {
                _end += read;
            }
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void MakeRoom()
    {
        var pending = _end - _start;
        if (_buffer.Length > ShrinkAbove && pending <= InitialSize / 2)
        {
            // A big message has gone; do not hold megabytes per idle connection.
            var small = ArrayPool<byte>.Shared.Rent(InitialSize);
            _buffer.AsSpan(_start, pending).CopyTo(small);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = small;
            _scanned -= _start;
            _start = 0;
            _end = pending;
            return;
        }

        if (_start > 0)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
            _scanned -= _start;
            _start = 0;
            _end = pending;
        }

        if (_end == _buffer.Length)
        {
            // Room for one byte past the limit is enough to see that a line is too long.
            var size = (int)Math.Min((long)_buffer.Length * 2, (long)_maxLineBytes + InitialSize);
            var grown = ArrayPool<byte>.Shared.Rent(size);
            _buffer.AsSpan(0, _end).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = grown;
        }
    }
}
