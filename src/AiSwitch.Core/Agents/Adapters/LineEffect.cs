namespace AiSwitch.Core.Agents.Adapters;

/// <summary>What one stdout line of an agent meant.</summary>
internal enum LineKind
{
    /// <summary>Not the agent's protocol (not a JSON event it emits): counted, kept for the error message.</summary>
    NotProtocol,

    /// <summary>An event of the protocol.</summary>
    Event,

    /// <summary>The event that ends the task: stop reading and report.</summary>
    Final,
}

/// <param name="Kind">What the line was.</param>
/// <param name="EventKind">The event's type, for progress (<c>assistant</c>, <c>item.completed</c>…).</param>
/// <param name="TextDelta">Reply text the line added, if any.</param>
internal readonly record struct LineEffect(LineKind Kind, string? EventKind = null, string? TextDelta = null)
{
    public static readonly LineEffect NotProtocol = new(LineKind.NotProtocol);
}
