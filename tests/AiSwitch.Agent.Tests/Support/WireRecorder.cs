using System.Collections.Concurrent;
using System.Text.Json;

namespace AiSwitch.Agent.Tests.Support;

/// <summary>
/// A pass-through stream that notes the "method" of every JSON-RPC request or notification crossing it, one message per
/// line: what really went over the pipe, whoever sent it.
/// </summary>
public sealed class WireRecorder : Stream
{
    private readonly Stream _inner;
    private readonly List<byte> _line = [];

    public WireRecorder(Stream inner)
    {
        _inner = inner;
    }

    public ConcurrentDictionary<string, int> Methods { get; } = new(StringComparer.Ordinal);

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Note(buffer.AsSpan(offset, _inner.Read(buffer, offset, count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken);
        return Note(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        Note(buffer.AsSpan(offset, count));
        _inner.Write(buffer, offset, count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Note(buffer.Span);
        return _inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Note(ReadOnlySpan<byte> bytes)
    {
        lock (_line)
        {
            foreach (var b in bytes)
            {
                if (b != (byte)'\n')
                {
                    _line.Add(b);
                    continue;
                }

                if (MethodOf(_line.ToArray()) is { } method)
                {
                    Methods.AddOrUpdate(method, 1, (_, n) => n + 1);
                }

                _line.Clear();
            }
        }

        return bytes.Length;
    }

    private static string? MethodOf(byte[] line)
    {
        try
        {
            using var message = JsonDocument.Parse(line);
            return message.RootElement.TryGetProperty("method", out var method) ? method.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
