using AiSwitch.Core.Hosting;

namespace AiSwitch.Cli;

/// <summary>The CLI's <see cref="IOperationSink"/>: items to a callback, diagnostics to stderr.</summary>
public sealed class CliSink : IOperationSink
{
    private readonly CliContext _context;
    private readonly Action<object>? _onItem;

    public CliSink(CliContext context, Action<object>? onItem)
    {
        _context = context;
        _onItem = onItem;
    }

    /// <summary>How many non-terminating errors were reported; a verb exits non-zero when there were any.</summary>
    public int ErrorCount { get; private set; }

    public AiSwitchException? LastError { get; private set; }

    public void WriteObject(object item) => _onItem?.Invoke(item);

    public void WriteError(AiSwitchException error)
    {
        ErrorCount++;
        LastError = error;
        _context.Error.WriteLine($"aiswitch: {error.Id} ({error.Code}): {error.Message}");
    }

    public void WriteWarning(string message) => _context.Error.WriteLine($"aiswitch: warning: {message}");

    public void WriteVerbose(string message)
    {
    }

    public void WriteProgress(OperationProgress progress)
    {
    }

    // The CLI has no -WhatIf; a verb that supports --what-if answers before it calls Core.
    public bool ShouldProcess(string target, string action) => true;

    /// <summary>The exit code for a verb that reported per-item errors: that of the last one, else 0.</summary>
    public int ExitCode => LastError?.Kind.ExitCode() ?? 0;
}
