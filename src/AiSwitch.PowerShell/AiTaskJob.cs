using System.Management.Automation;
using AiSwitch.Core.Tasks;

namespace AiSwitch.PowerShell;

/// <summary>
/// Invoke-AiTask -AsJob: a PowerShell job over a background batch. Results go to the job's Output as they finish, so
/// Receive-Job, Wait-Job and Stop-Job work; Stop-Job cancels the agents.
/// </summary>
public sealed class AiTaskJob : Job2
{
    private readonly TaskJobs _jobs;
    private readonly InvokeTaskRequest _request;
    private BackgroundBatch? _batch;

    internal AiTaskJob(TaskJobs jobs, InvokeTaskRequest request, string command)
        : base(command, "AiTask")
    {
        _jobs = jobs;
        _request = request;
        PSJobTypeName = "AiTaskJob";
    }

    /// <summary>The batch id: Get-AiTask, Stop-AiTask and Receive-AiTaskResult accept it too.</summary>
    public string? TaskId => _batch?.TaskId;

    public override string StatusMessage => _batch?.Snapshot().ToString() ?? string.Empty;

    public override bool HasMoreData => Output.Count > 0 || Error.Count > 0;

    public override string Location => Environment.MachineName;

    public override void StartJob()
    {
        SetJobState(JobState.Running);
        _batch = _jobs.Start(_request, result => Output.Add(new PSObject(result)));
        _batch.Completion.ContinueWith(_ => Finish(), TaskScheduler.Default);
    }

    public override void StartJobAsync() => StartJob();

    public override void StopJob()
    {
        _batch?.Cancel();
        _batch?.Completion.Wait(TimeSpan.FromSeconds(5));
        SetJobState(JobState.Stopped);
    }

    public override void StopJobAsync() => StopJob();

    public override void StopJob(bool force, string reason) => StopJob();

    public override void StopJobAsync(bool force, string reason) => StopJob();

    public override void SuspendJob() => throw new NotSupportedException("AiSwitch task jobs cannot be suspended; stop them with Stop-Job.");

    public override void SuspendJobAsync() => SuspendJob();

    public override void SuspendJob(bool force, string reason) => SuspendJob();

    public override void SuspendJobAsync(bool force, string reason) => SuspendJob();

    public override void ResumeJob() => throw new NotSupportedException("AiSwitch task jobs cannot be suspended, so there is nothing to resume.");

    public override void ResumeJobAsync() => ResumeJob();

    public override void UnblockJob() => throw new NotSupportedException("AiSwitch task jobs never block.");

    public override void UnblockJobAsync() => UnblockJob();

    private void Finish()
    {
        if (_batch?.Error is { } error)
        {
            Error.Add(ErrorRecordFactory.Create(error));
        }

        if (JobStateInfo.State is not (JobState.Stopped or JobState.Completed or JobState.Failed))
        {
            SetJobState(_batch?.Error is null ? JobState.Completed : JobState.Failed);
        }
    }
}
