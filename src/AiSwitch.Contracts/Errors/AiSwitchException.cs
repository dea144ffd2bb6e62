namespace AiSwitch;

/// <summary>
/// The one exception Core throws for anything a user or script should see: a stable <see cref="ErrorId"/>,
/// its numeric code (see <see cref="ErrorCatalog"/>), a kind, and the name of the failing item. Messages say what was wrong, with
/// the value, and what to do. They never contain secret values.
/// </summary>
public sealed class AiSwitchException : Exception
{
    public AiSwitchException(ErrorId id, string message, string? target = null, Exception? inner = null)
        : base(message, inner)
    {
        Id = id;
        Target = target;
    }

    public ErrorId Id { get; }

    /// <summary>The id's numeric code: seed 003's (-40001 … -40405, or a JSON-RPC standard code), or AiSwitch's own (-41000 … -41999).</summary>
    public int Code => Id.Code();

    public ErrorKind Kind => Id.Kind();

    /// <summary>The name of the failing item (preset, agent, lock, file…), never a secret value.</summary>
    public string? Target { get; }

    /// <summary>Extra structured detail for RPC error <c>data</c> and for scripts.</summary>
    public IReadOnlyDictionary<string, string>? Details { get; init; }

    public override string ToString() => $"{Id} ({Code}): {Message}";
}
