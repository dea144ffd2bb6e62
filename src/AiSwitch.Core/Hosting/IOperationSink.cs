
namespace AiSwitch.Core.Hosting;

/// <summary>
/// Where an operation's output goes: the cmdlet base (WriteObject, WriteError…), the CLI renderer, or a test fake.
/// <see cref="PipelineBridge"/> calls it only on the thread that started the operation.
/// </summary>
public interface IOperationSink
{
    void WriteObject(object item);

    /// <summary>A non-terminating error for one item; the operation goes on with the others.</summary>
    void WriteError(AiSwitchException error);

    void WriteWarning(string message);

    void WriteVerbose(string message);

    void WriteProgress(OperationProgress progress);

    /// <summary>Asks whether to go ahead (PowerShell's ShouldProcess: -WhatIf, -Confirm).</summary>
    bool ShouldProcess(string target, string action);
}

/// <summary>One progress record. <see cref="Completed"/> closes the activity.</summary>
public sealed record OperationProgress(
    int ActivityId,
    string Activity,
    string Status,
    int? PercentComplete = null,
    string? CurrentOperation = null,
    int? ParentActivityId = null,
    bool Completed = false);
