using System.Diagnostics;

namespace AiSwitch.Core.Agents.Adapters;

/// <summary>Feeds an agent's lines to its parser and its observer, and times the task and its first token.</summary>
internal sealed class TurnProgress(AgentEventParser parser, IAgentRunObserver observer)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public AgentEventParser Parser { get; } = parser;

    public TimeSpan Elapsed => _clock.Elapsed;

    public TimeSpan? FirstToken { get; private set; }

    /// <summary>Handles one line; true when it was the final event of the task.</summary>
    public bool Accept(string line)
    {
        var effect = Parser.Accept(line);
        if (effect.TextDelta is { Length: > 0 } delta)
        {
            if (FirstToken is null)
            {
                FirstToken = _clock.Elapsed;
                observer.OnFirstToken();
            }

            observer.OnText(delta);
        }

        if (effect.EventKind is { } kind)
        {
            observer.OnEvent(kind);
        }

        return effect.Kind == LineKind.Final;
    }
}
