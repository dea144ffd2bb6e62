
namespace AiSwitch.Core.Hosting;

/// <summary>
/// What Core operations report through while they run. Safe to call from any thread: the bridge
/// queues each call and delivers it on the caller's thread. Progress is throttled to one update per
/// ~200 ms per activity, with first and Completed records always delivered.
/// </summary>
public interface IOperationContext
{
    void WriteVerbose(string message);

    void WriteWarning(string message);

    void WriteError(AiSwitchException error);

    void WriteProgress(OperationProgress progress);

    /// <summary>Asks the front whether to go ahead; -WhatIf answers false without side effects.</summary>
    ValueTask<bool> ShouldProcessAsync(string target, string action, CancellationToken cancellationToken = default);
}

/// <summary>A context that reports nothing and agrees to everything: for internal calls and tests.</summary>
public sealed class SilentOperationContext : IOperationContext
{
    public static readonly SilentOperationContext Instance = new();

    public void WriteVerbose(string message) { }

    public void WriteWarning(string message) { }

    public void WriteError(AiSwitchException error) { }

    public void WriteProgress(OperationProgress progress) { }

    public ValueTask<bool> ShouldProcessAsync(string target, string action, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);
}
