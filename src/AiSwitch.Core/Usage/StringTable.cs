using System.Text;

namespace AiSwitch.Core.Usage;

/// <summary>
/// Turns the UTF-8 bytes of low-cardinality values (agent, model, preset…) into one shared string each, so reading a
/// million ledger lines allocates a handful of strings rather than millions. Not thread-safe: one per reader.
/// </summary>
internal sealed class StringTable
{
    private const int MaxEntries = 4096;
    private readonly Dictionary<int, List<KeyValuePair<byte[], string>>> _buckets = [];
    private int _count;

    public string Get(ReadOnlySpan<byte> utf8)
    {
        var hash = new HashCode();
        hash.AddBytes(utf8);
        var key = hash.ToHashCode();
        if (_buckets.TryGetValue(key, out var bucket))
        {
            foreach (var entry in bucket)
            {
                if (utf8.SequenceEqual(entry.Key))
                {
                    return entry.Value;
                }
            }
        }

        var value = Encoding.UTF8.GetString(utf8);
        if (_count < MaxEntries)
        {
            (bucket ??= _buckets[key] = []).Add(new(utf8.ToArray(), value));
            _count++;
        }

        return value;
    }
}
