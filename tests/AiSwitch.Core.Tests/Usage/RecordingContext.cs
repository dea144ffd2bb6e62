using AiSwitch.Core.Hosting;

namespace AiSwitch.Core.Tests.Usage;

/// <summary>An operation context that keeps what it was told, for asserting warnings.</summary>
public sealed class RecordingContext : IOperationContext
{
    private readonly List<string> _warnings = [];

    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_warnings)
            {
                return [.. _warnings];
            }
        }
    }

    public void WriteVerbose(string message) { }

    public void WriteWarning(string message)
    {
        lock (_warnings)
        {
            _warnings.Add(message);
        }
    }

    public void WriteError(AiSwitchException error) { }

    public void WriteProgress(OperationProgress progress) { }

    public ValueTask<bool> ShouldProcessAsync(string target, string action, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);
}
