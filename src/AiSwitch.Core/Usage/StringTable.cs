using System.Runtime.CompilerServices;
using System.Text;

namespace AiSwitch.Core.Usage;

/// <summary>
/// Turns the UTF-8 bytes of low-cardinality values (agent, model, preset…) into one shared string each, so reading a
/// million ledger lines allocates a handful of strings rather than millions. Not thread-safe: one per reader.
/// </summary>
internal sealed class StringTable
{
    private const int MaxEntries = 4096;
    private const int RecentSlots = 64;
    private readonly (byte[]? Key, string Value)[] _recent = new (byte[]?, string)[RecentSlots];
    private readonly Dictionary<int, List<KeyValuePair<byte[], string>>> _buckets = [];
    private int _count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Get(ReadOnlySpan<byte> utf8)
    {
        // Consecutive lines mostly repeat the same few values: a small direct-mapped cache answers them without hashing.
        ref var recent = ref _recent[utf8.IsEmpty ? 0 : ((utf8.Length * 31) + utf8[0] + (utf8[^1] * 7)) & (RecentSlots - 1)];
        if (recent.Key is { } seen && utf8.SequenceEqual(seen))
        {
            return recent.Value;
        }

        var value = Lookup(utf8, out var key);
        if (key is not null)
        {
            recent = (key, value);
        }

        return value;
    }

    private string Lookup(ReadOnlySpan<byte> utf8, out byte[]? stored)
    {
        stored = null;
        var hash = new HashCode();
        hash.AddBytes(utf8);
        var key = hash.ToHashCode();
        if (_buckets.TryGetValue(key, out var bucket))
        {
            foreach (var entry in bucket)
            {
                if (utf8.SequenceEqual(entry.Key))
                {
                    stored = entry.Key;
                    return entry.Value;
                }
            }
        }

        var value = Encoding.UTF8.GetString(utf8);
        if (_count < MaxEntries)
        {
            stored = utf8.ToArray();
            (bucket ??= _buckets[key] = []).Add(new(stored, value));
            _count++;
        }

        return value;
    }
}
