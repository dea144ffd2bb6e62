using AiSwitch.Core.Hosting;

namespace AiSwitch.Cli;

/// <summary>What a verb needs: the output writers, this process's session (created on first use) and Ctrl+C.</summary>
public sealed class CliContext : IDisposable
{
    private AiSession? _session;

    public CliContext(TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        Output = output;
        Error = error;
        Cancellation = cancellation;
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public CancellationToken Cancellation { get; }

    public AiSession Session => _session ??= AiSession.CreateDefault();

    /// <summary>A sink that prints warnings and errors to stderr and items with the given renderer.</summary>
    public CliSink Sink(Action<object>? onItem = null) => new(this, onItem);

    public void Dispose() => _session?.Dispose();
}
