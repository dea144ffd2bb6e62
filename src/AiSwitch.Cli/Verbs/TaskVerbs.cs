using System.CommandLine;
using AiSwitch.Core.Hosting;

namespace AiSwitch.Cli;

/// <summary>
/// <c>aiswitch task start|status|wait|result|cancel</c> (docs/cli/task.md). A CLI process ends when its verb does, so
/// <c>task start</c> hands the task to a detached <c>aiswitch task own ID</c> process through the Tasks door; the other
/// verbs follow it, as they follow a PowerShell session's tasks, through the same door.
/// </summary>
internal static class TaskVerbs
{
    private static readonly string[] TableColumns =
        [nameof(AiTask.TaskId), nameof(AiTask.Status), nameof(AiTask.Progress), nameof(AiTask.Total), nameof(AiTask.Succeeded), nameof(AiTask.Failed), nameof(AiTask.Agents), nameof(AiTask.StartedAt), nameof(AiTask.OwnerPid)];

    public static Command Create(CliContext context) => new("task", "Background tasks: start one, follow it, get its results, cancel it.")
    {
        Start(context), Own(context), Status(context), Wait(context), Result(context), Cancel(context),
    };

    private static Command Start(CliContext context)
    {
        var options = new TaskOptions(required: true);
        var command = new Command("start", "Start a run in the background and print its task id at once.");
        options.AddTo(command);
        command.SetAction(parse =>
        {
            // Unknown agents and bad values fail here, before the owner process starts.
            var request = options.Request(parse, preset: null);
            options.SwitchAgentsIfAsked(context, parse, request);
            var task = context.Session.Tasks.StartDetached(request, [.. OwnerCommand(), "task", "own"]);
            context.Output.WriteLine(task.TaskId);
            return 0;
        });
        return command;
    }

    /// <summary>The detached process 'task start' starts: it runs the task it was handed, then ends.</summary>
    private static Command Own(CliContext context)
    {
        var id = new Argument<string>("TASK_ID");
        var command = new Command("own", "Run a task handed over by 'task start' (internal).") { id };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var results = PipelineBridge.Run(context.Sink(), (_, token) => context.Session.Tasks.RunOwnedAsync(parse.GetValue(id)!, token), context.Cancellation);
            return results.All(r => r.Success) ? 0 : 1;
        });
        return command;
    }

    private static Command Status(CliContext context)
    {
        var id = new Argument<string?>("TASK_ID") { Arity = ArgumentArity.ZeroOrOne, Description = "The task id (wildcards allowed); all when absent." };
        var format = OutputRenderer.FormatOption();
        var command = new Command("status", "Show tasks of every session: status, progress, agents, owner process.") { id, format };
        command.SetAction(parse =>
        {
            OutputRenderer.Write(context.Output, context.Session.Tasks.Get(parse.GetValue(id)), parse.GetValue(format), TableColumns);
            return 0;
        });
        return command;
    }

    private static Command Wait(CliContext context)
    {
        var id = new Argument<string>("TASK_ID") { Description = "The task id 'task start' printed." };
        var timeout = new Option<double?>("--timeout") { Description = "Seconds to wait; without it, until the task ends." };
        var format = OutputRenderer.FormatOption();
        var command = new Command("wait", "Wait until a task has ended, then show it. Exit code 8 when the timeout passes first, 130 when it was cancelled, 9 when the process that ran it died.") { id, timeout, format };
        command.SetAction(parse =>
        {
            var taskId = parse.GetValue(id)!;
            var limit = parse.GetValue(timeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            var ended = PipelineBridge.Run(context.Sink(), (_, token) => context.Session.Tasks.WaitAsync([taskId], limit, token), context.Cancellation);
            if (ended.Count == 0)
            {
                var task = context.Session.Tasks.Get(taskId).First();
                throw new AiSwitchException(ErrorId.TaskTimeout, $"Task '{taskId}' is still running ({task.Progress}%) after {parse.GetValue(timeout)} s. Wait again, or cancel it with 'aiswitch task cancel {taskId}'.", taskId);
            }

            OutputRenderer.Write(context.Output, ended, parse.GetValue(format), TableColumns);
            if (ended[0].Reason is { } reason)
            {
                throw new AiSwitchException(ErrorId.TaskOwnerDied, $"Task '{ended[0].TaskId}' failed: {reason}", ended[0].TaskId);
            }

            return ended[0].Status == TaskState.Cancelled ? ErrorId.TaskCancelled.Kind().ExitCode() : 0;
        });
        return command;
    }

    private static Command Result(CliContext context)
    {
        var id = new Argument<string>("TASK_ID") { Description = "The task id 'task start' printed." };
        var format = OutputRenderer.FormatOption();
        var command = new Command("result", "Print an ended task's results, one per task and agent.") { id, format };
        command.SetAction(parse =>
        {
            var results = context.Session.Tasks.Receive(parse.GetValue(id)!, keep: true);
            var chosen = parse.GetValue(format);
            OutputRenderer.Write(context.Output, results, chosen, chosen == OutputFormat.Table ? RunVerbs.TableColumns : null);
            return 0;
        });
        return command;
    }

    private static Command Cancel(CliContext context)
    {
        var id = new Argument<string>("TASK_ID") { Description = "The task id 'task start' printed." };
        var command = new Command("cancel", "Cancel a running task: its agents stop within a second and unfinished tasks become Cancelled.") { id };
        command.SetAction(parse =>
        {
            var taskId = parse.GetValue(id)!;
            var task = PipelineBridge.Run(context.Sink(), (_, token) => context.Session.Tasks.StopAsync(taskId, token), context.Cancellation);
            context.Error.WriteLine($"aiswitch: task '{task.TaskId}' is {task.Status}.");
            return 0;
        });
        return command;
    }

    /// <summary>The variable naming the aiswitch executable that background runs use (docs/cli/task.md).</summary>
    internal const string CliVariable = "AISWITCH_CLI";

    /// <summary>
    /// How to start this aiswitch again: AISWITCH_CLI when set; else this process when it is the aiswitch app host (installed
    /// tool, or built); else that app host beside this assembly; else 'dotnet' with the assembly.
    /// </summary>
    private static List<string> OwnerCommand()
    {
        var assembly = typeof(TaskVerbs).Assembly.Location;
        var appHost = Path.ChangeExtension(assembly, OperatingSystem.IsWindows() ? ".exe" : null);
        var self = Environment.ProcessPath;
        return Environment.GetEnvironmentVariable(CliVariable) is { Length: > 0 } configured
            ? [configured]
            : self is not null && Path.GetFileNameWithoutExtension(self) == "aiswitch"
                ? [self]
                : File.Exists(appHost)
                    ? [appHost]
                    : [Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", assembly];
    }
}
