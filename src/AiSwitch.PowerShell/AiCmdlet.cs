using System.Management.Automation;
using AiSwitch.Core.Hosting;

namespace AiSwitch.PowerShell;

/// <summary>
/// The base of every AiSwitch cmdlet: the runspace's session, a cancellation token cancelled by Ctrl+C
/// (StopProcessing), the bridge that runs Core's async work while this thread writes its output, and the
/// mapping of Core errors to ErrorRecords. Cmdlets bind parameters, build a request and make one Core call.
/// </summary>
public abstract class AiCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private AiSession? _session;
    private PipelineSink? _sink;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
    protected CancellationToken CancellationToken => _stopping.Token;

    /// <summary>This runspace's session.</summary>
    protected AiSession Session => _session ??= RunspaceSessions.Current;

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>
    /// ShouldProcess for a cmdlet with -Force: -Force gives the answer a lowered $ConfirmPreference would ask for, as
    /// Remove-Item -Force and Unregister-PSSessionConfiguration -Force do, while -WhatIf still only reports and an
    /// explicit -Confirm still asks.
    /// </summary>
    protected bool ShouldProcess(string target, string action, bool force)
    {
        if (!force || MyInvocation.BoundParameters.ContainsKey("Confirm") || WhatIfInEffect())
        {
            return ShouldProcess(target, action);
        }

        WriteVerbose($"Performing the operation \"{action}\" on target \"{target}\".");
        return true;
    }

    /// <summary>Runs Core work; its errors become terminating errors of this cmdlet.</summary>
    protected void Run(Func<IOperationContext, CancellationToken, Task> work)
        => Guard(() => { PipelineBridge.Run(Sink, work, CancellationToken); return true; });

    /// <summary>Runs Core work and returns its value on the pipeline thread.</summary>
    protected T Run<T>(Func<IOperationContext, CancellationToken, Task<T>> work)
        => Guard(() => PipelineBridge.Run(Sink, work, CancellationToken));

    /// <summary>Runs Core work that streams results; each goes down the pipeline as soon as it exists.</summary>
    protected void RunStream<T>(Func<IOperationContext, CancellationToken, IAsyncEnumerable<T>> work)
        => Guard(() => { PipelineBridge.RunStream(Sink, work, CancellationToken); return true; });

    /// <summary>Runs Core work that streams results, handing each to <paramref name="write"/> on this thread as soon as it exists.</summary>
    protected void RunStream<T>(Func<IOperationContext, CancellationToken, IAsyncEnumerable<T>> work, Action<T> write)
        => Guard(() => { PipelineBridge.RunStream(Sink, work, (_, item) => write(item), CancellationToken); return true; });

    /// <summary>
    /// Writes a task's result and, when it did not complete, a non-terminating error for it (its ErrorId, the result as
    /// target), so -ErrorAction, -ErrorVariable, $? and try/catch see a failed task. The result goes first: it reaches the
    /// pipeline even when -ErrorAction Stop ends the command at the error.
    /// </summary>
    protected void WriteTaskResult(TaskResult result)
    {
        WriteObject(result);
        if (TaskDoor.Failure(result) is { } failure)
        {
            WriteAiError(failure, result);
        }
    }

    /// <summary>Runs Core work for one item of many: a Core error is written as a non-terminating error for it, and default returned.</summary>
    protected T? TryRun<T>(Func<IOperationContext, CancellationToken, Task<T>> work, object? target = null)
    {
        try
        {
            return PipelineBridge.Run(Sink, work, CancellationToken);
        }
        catch (AiSwitchException ex)
        {
            WriteAiError(ex, target);
            return default;
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Like <see cref="RunStream{T}(Func{IOperationContext, CancellationToken, IAsyncEnumerable{T}})"/>, but a Core error is written as a non-terminating error for this item.</summary>
    protected void TryRunStream<T>(Func<IOperationContext, CancellationToken, IAsyncEnumerable<T>> work, object? target = null)
    {
        try
        {
            PipelineBridge.RunStream(Sink, work, CancellationToken);
        }
        catch (AiSwitchException ex)
        {
            WriteAiError(ex, target);
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Runs synchronous Core work (fast, local operations) with the same error mapping.</summary>
    protected T Invoke<T>(Func<T> work) => Guard(work);

    /// <summary>Reports one failed item and lets the cmdlet go on with the next.</summary>
    protected void WriteAiError(AiSwitchException error, object? target = null)
        => WriteError(ErrorRecordFactory.Create(error, target));

    /// <summary>Like <see cref="Invoke{T}"/>, but a Core error is written as a non-terminating error for this item.</summary>
    protected bool TryInvoke(Action work, object? target = null)
    {
        try
        {
            work();
            return true;
        }
        catch (AiSwitchException ex)
        {
            WriteAiError(ex, target);
            return false;
        }
    }

    private bool WhatIfInEffect()
        => MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
            ? LanguagePrimitives.IsTrue(whatIf)
            : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));

    // The sink is a private nested class, not an interface on this public type: PowerShell loads the module's public types
    // before OnImport routes AiSwitch.Core to dependencies/, so a Core interface here would fail to load at import.
    private PipelineSink Sink => _sink ??= new PipelineSink(this);

    private T Guard<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (AiSwitchException ex)
        {
            ThrowTerminatingError(ErrorRecordFactory.Create(ex));
            throw; // unreachable: ThrowTerminatingError always throws
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Delivers Core's output through this cmdlet's Write* methods; the bridge calls it on the pipeline thread only.</summary>
    private sealed class PipelineSink : IOperationSink
    {
        private readonly AiCmdlet _cmdlet;

        public PipelineSink(AiCmdlet cmdlet) => _cmdlet = cmdlet;

        public void WriteObject(object item) => _cmdlet.WriteObject(item);

        public void WriteError(AiSwitchException error) => _cmdlet.WriteAiError(error);

        public void WriteWarning(string message) => _cmdlet.WriteWarning(message);

        public void WriteVerbose(string message) => _cmdlet.WriteVerbose(message);

        public void WriteProgress(OperationProgress progress)
        {
            var record = new ProgressRecord(progress.ActivityId, progress.Activity, progress.Status)
            {
                PercentComplete = progress.PercentComplete ?? -1,
                CurrentOperation = progress.CurrentOperation,
                ParentActivityId = progress.ParentActivityId ?? -1,
                RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            _cmdlet.WriteProgress(record);
        }

        public bool ShouldProcess(string target, string action) => _cmdlet.ShouldProcess(target, action);
    }
}
