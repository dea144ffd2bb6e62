using System.Management.Automation;
using AiSwitch.Core.Tasks;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// <c>Invoke-AiTask -Agent claude,codex -Parallel -Prompt '…'</c>: runs the prompt (or every piped prompt or object) on
/// the agents and writes one TaskResult per task and agent as each finishes, and a non-terminating error for each one that
/// did not complete. -AsJob returns a PowerShell job instead.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "AiTask", DefaultParameterSetName = RunSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(TaskResult), ParameterSetName = [RunSet])]
[OutputType(typeof(AiTaskJob), ParameterSetName = [JobSet])]
public sealed class InvokeAiTaskCommand : TaskRequestCmdlet
{
    public const string RunSet = "Run";
    public const string JobSet = "AsJob";

    [Parameter(Mandatory = true, ParameterSetName = JobSet)]
    public SwitchParameter AsJob { get; set; }

    protected override void EndProcessing()
    {
        var request = BuildRequest();
        EngineEvents.AttachTasks(Session, Events);
        if (!SwitchAgentsIfAsked(request))
        {
            return;
        }

        if (AsJob)
        {
            if (!ShouldProcess(string.Join(", ", request.Agents), $"Start a job running {request.Tasks.Count} task(s)"))
            {
                return;
            }

            var job = new AiTaskJob(Session.Tasks, request, MyInvocation.Line);
            Invoke(() => { job.StartJob(); return job; });
            JobRepository.Add(job);
            WriteObject(job);
            return;
        }

        var operations = Session.Tasks;
        RunStream((context, cancellationToken) => operations.InvokeAsync(request, context, cancellationToken), WriteTaskResult);
    }
}
