using System.ComponentModel;
using System.Management.Automation;
using AiSwitch.Core.Tasks;
using AiSwitch.PowerShell;

namespace AiSwitch;

/// <summary>
/// Invoke-AiTask -AsJob: a PowerShell job over a background task of the session. Results go to the job's Output as they
/// finish, and the error of each that did not complete to its Error stream, so Receive-Job, Wait-Job, Stop-Job and
/// Remove-Job -Force work; stopping it stops the agents' process trees.
/// </summary>
public sealed class AiTaskJob : Job2
{
    private readonly TaskDoor _tasks;
    private readonly InvokeTaskRequest _request;
    private readonly object _gate = new();
    private BackgroundBatch? _batch;

    internal AiTaskJob(TaskDoor tasks, InvokeTaskRequest request, string command)
        : base(command, "AiTask")
    {
        _tasks = tasks;
        _request = request;
        PSJobTypeName = "AiTaskJob";
    }

    /// <summary>The task id: Get-AiTask, Wait-AiTask, Stop-AiTask and Receive-AiTaskResult accept it too.</summary>
    public string? TaskId => _batch?.TaskId;

    public override string StatusMessage => _batch?.Snapshot().ToString() ?? string.Empty;

    public override bool HasMoreData => Output.Count > 0 || Error.Count > 0;

    public override string Location => Environment.MachineName;

    public override void StartJob()
    {
        SetJobState(JobState.Running);
        _batch = _tasks.Start(_request, Received);
        _batch.Completion.ContinueWith(_ => Finish(), TaskScheduler.Default);
    }

    public override void StartJobAsync()
    {
        StartJob();
        OnStartJobCompleted(new AsyncCompletedEventArgs(null, false, null));
    }

    public override void StopJob() => StopJob(force: false, reason: null);

    public override void StopJob(bool force, string? reason)
    {
        lock (_gate)
        {
            if (IsFinishedState(JobStateInfo.State))
            {
                return;
            }

            SetJobState(JobState.Stopping);
        }

        _batch?.Cancel();
        // The agents stop within a second; the results they leave (Cancelled) are still written to Output.
        _batch?.Completion.Wait(TimeSpan.FromSeconds(10));
        lock (_gate)
        {
            if (!IsFinishedState(JobStateInfo.State))
            {
                SetJobState(JobState.Stopped);
            }
        }
    }

    public override void StopJobAsync() => StopJobAsync(force: false, reason: null);

    public override void StopJobAsync(bool force, string? reason)
    {
        Exception? error = null;
        try
        {
            StopJob(force, reason);
        }
        catch (Exception ex) when (ex is InvalidOperationException or AggregateException)
        {
            error = ex;
        }

        OnStopJobCompleted(new AsyncCompletedEventArgs(error, false, null));
    }

    public override void SuspendJob() => throw Unsupported("suspended");

    public override void SuspendJobAsync() => OnSuspendJobCompleted(new AsyncCompletedEventArgs(Unsupported("suspended"), false, null));

    public override void SuspendJob(bool force, string? reason) => SuspendJob();

    public override void SuspendJobAsync(bool force, string? reason) => SuspendJobAsync();

    public override void ResumeJob() => throw Unsupported("resumed");

    public override void ResumeJobAsync() => OnResumeJobCompleted(new AsyncCompletedEventArgs(Unsupported("resumed"), false, null));

    public override void UnblockJob() => throw Unsupported("unblocked");

    public override void UnblockJobAsync() => OnUnblockJobCompleted(new AsyncCompletedEventArgs(Unsupported("unblocked"), false, null));

    private static NotSupportedException Unsupported(string what)
        => new($"An AiSwitch task job cannot be {what}; it runs until its tasks end. Stop it with Stop-Job.");

    private void Received(TaskResult result)
    {
        Output.Add(new PSObject(result));
        if (TaskDoor.Failure(result) is { } failure)
        {
            Error.Add(ErrorRecordFactory.Create(failure, result));
        }
    }

    private void Finish()
    {
        var task = _batch!.Snapshot();
        if (_batch.Error is { } error)
        {
            Error.Add(ErrorRecordFactory.Create(error));
        }

        lock (_gate)
        {
            // A stop in progress sets Stopped itself. A failed result is an error record, not a failed job (as with Start-Job);
            // only a task that could not run at all fails the job.
            if (JobStateInfo.State != JobState.Stopping && !IsFinishedState(JobStateInfo.State))
            {
                SetJobState(task.Status == TaskState.Cancelled ? JobState.Stopped : _batch.Error is null ? JobState.Completed : JobState.Failed);
            }
        }
    }

    private static bool IsFinishedState(JobState state) => state is JobState.Completed or JobState.Failed or JobState.Stopped;
}
