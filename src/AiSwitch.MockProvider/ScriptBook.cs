namespace AiSwitch.MockProvider;

/// <summary>
/// Scripted replies. A model call on prefix P takes, in order: the next reply queued for P, the next reply queued for any
/// prefix, P's default, the default for any prefix, and finally the built-in default (an empty <see cref="MockReply"/>).
/// </summary>
internal sealed class ScriptBook
{
    /// <summary>The key for "any prefix".</summary>
    private const string AnyPrefix = "*";

    private readonly object gate = new();
    private readonly Dictionary<string, Queue<MockReply>> queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MockReply> defaults = new(StringComparer.Ordinal);

    public void Enqueue(MockReply reply, string? prefix)
    {
        lock (this.gate)
        {
            var key = Key(prefix);
            if (!this.queues.TryGetValue(key, out var queue))
            {
                this.queues[key] = queue = new Queue<MockReply>();
            }

            queue.Enqueue(reply);
        }
    }

    public void SetDefault(MockReply reply, string? prefix)
    {
        lock (this.gate)
        {
            this.defaults[Key(prefix)] = reply;
        }
    }

    public MockReply Take(string prefix)
    {
        var key = MockRoute.NormalizePrefix(prefix);
        lock (this.gate)
        {
            if (this.TryDequeue(key, out var reply) || this.TryDequeue(AnyPrefix, out reply))
            {
                return reply;
            }

            return this.defaults.GetValueOrDefault(key) ?? this.defaults.GetValueOrDefault(AnyPrefix) ?? new MockReply();
        }
    }

    /// <summary>Replies still queued (all prefixes).</summary>
    public int Pending
    {
        get
        {
            lock (this.gate)
            {
                return this.queues.Values.Sum(queue => queue.Count);
            }
        }
    }

    public void Clear()
    {
        lock (this.gate)
        {
            this.queues.Clear();
            this.defaults.Clear();
        }
    }

    private static string Key(string? prefix) => prefix is null ? AnyPrefix : MockRoute.NormalizePrefix(prefix);

    private bool TryDequeue(string key, out MockReply reply)
    {
        if (this.queues.TryGetValue(key, out var queue) && queue.TryDequeue(out var next))
        {
            reply = next;
            return true;
        }

        reply = null!;
        return false;
    }
}
