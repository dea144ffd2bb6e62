using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AiSwitch.Rpc;

/// <summary>
/// A growable buffer over <see cref="ArrayPool{T}"/> holding one serialized message until the writer loop
/// has copied it out; <see cref="Return"/> gives the array back.
/// </summary>
internal sealed class PooledBuffer : IBufferWriter<byte>
{
    private byte[] _array;
    private int _written;

    public PooledBuffer(int initialSize = 512)
    {
        _array = ArrayPool<byte>.Shared.Rent(initialSize);
    }

    public int Length => _written;

    /// <summary>What the buffer holds in memory: often several times <see cref="Length"/>, as the writer asks for room.</summary>
    public int Capacity => _array.Length;

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _written);

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _written);

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _array.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _array.AsSpan(_written);
    }

    public void Write(byte value)
    {
        Reserve(1);
        _array[_written++] = value;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_array.AsSpan(_written));
        _written += bytes.Length;
    }

    /// <summary>Joins messages into one JSON array (<c>[a,b,…]</c>) with room for its newline, giving each part back.</summary>
    public static PooledBuffer JoinArray(IReadOnlyList<PooledBuffer> parts)
    {
        var total = 2 + parts.Count;
        foreach (var part in parts)
        {
            total += part.Length;
        }

        var message = new PooledBuffer(total);
        message.Write((byte)'[');
        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0)
            {
                message.Write((byte)',');
            }

            message.Write(parts[i].WrittenSpan);
            parts[i].Return();
        }

        message.Write((byte)']');
        return message;
    }

    public void Return()
    {
        var array = _array;
        _array = [];
        _written = 0;
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private void Reserve(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_array.Length - _written >= sizeHint)
        {
            return;
        }

        var grown = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, _written + sizeHint));
        _array.AsSpan(0, _written).CopyTo(grown);
        var old = _array;
        _array = grown;
        if (old.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(old);
        }
    }
}

/// <summary>One reusable <see cref="Utf8JsonWriter"/> per thread, pointed at the buffer being filled.</summary>
internal static class JsonWriterCache
{
    // Relaxed escaping keeps non-ASCII text readable on the wire; control characters (and so newlines) are still escaped.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static Utf8JsonWriter Get(IBufferWriter<byte> output)
    {
        var writer = t_writer;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(output, Options);
            t_writer = writer;
        }
        else
        {
            writer.Reset(output);
        }

        return writer;
    }
}
