using System.Text;
using AiSwitch.Rpc;
using Xunit;

namespace AiSwitch.Core.Tests.Rpc;

public sealed class LineReaderTests
{
    /// <summary>Serves a long run of one byte, then a tail; records the largest read it was asked for.</summary>
    private sealed class FloodStream(long floodBytes, byte[] tail) : Stream
    {
        private long _floodLeft = floodBytes;
        private int _tailAt;

        public int LargestRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            LargestRead = Math.Max(LargestRead, buffer.Length);
            if (_floodLeft > 0)
            {
                var n = (int)Math.Min(buffer.Length, _floodLeft);
                buffer[..n].Fill((byte)'x');
                _floodLeft -= n;
                return n;
            }

            var rest = Math.Min(buffer.Length, tail.Length - _tailAt);
            tail.AsSpan(_tailAt, rest).CopyTo(buffer);
            _tailAt += rest;
            return rest;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task A_64_MiB_line_is_skipped_with_a_buffer_never_much_over_the_limit()
    {
        const int limit = 1024 * 1024;
        var stream = new FloodStream(64L * 1024 * 1024, Encoding.ASCII.GetBytes("\n{\"ok\":1}\n"));
        using var reader = new LineReader(stream, limit);

        var first = await reader.ReadAsync(CancellationToken.None);
        var second = await reader.ReadAsync(CancellationToken.None);
        var line = Encoding.ASCII.GetString(reader.Line.Span);
        var third = await reader.ReadAsync(CancellationToken.None);

        Assert.Equal(LineStatus.Oversized, first);
        Assert.Equal(LineStatus.Line, second);
        Assert.Equal("{\"ok\":1}", line);
        Assert.Equal(LineStatus.End, third);
        Assert.InRange(stream.LargestRead, 1, limit + 64 * 1024);
        Assert.InRange(reader.Capacity, 1, limit + 64 * 1024);
    }

    [Fact]
    public async Task After_a_large_line_the_buffer_shrinks_back()
    {
        var big = new string('y', 3 * 1024 * 1024);
        var stream = new MemoryStream(Encoding.ASCII.GetBytes(big + "\n" + "small\n" + "tail"));
        using var reader = new LineReader(stream, 16 * 1024 * 1024);

        Assert.Equal(LineStatus.Line, await reader.ReadAsync(CancellationToken.None));
        Assert.Equal(big.Length, reader.Line.Length);
        Assert.Equal(LineStatus.Line, await reader.ReadAsync(CancellationToken.None));
        Assert.Equal("small", Encoding.ASCII.GetString(reader.Line.Span));
        Assert.Equal(LineStatus.Line, await reader.ReadAsync(CancellationToken.None));
        Assert.Equal("tail", Encoding.ASCII.GetString(reader.Line.Span));
        Assert.Equal(LineStatus.End, await reader.ReadAsync(CancellationToken.None));
        Assert.True(reader.Capacity <= 256 * 1024, $"The buffer stayed at {reader.Capacity} bytes.");
    }
}
