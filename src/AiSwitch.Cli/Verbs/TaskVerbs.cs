using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using AiSwitch.Core.Errors;
using AiSwitch.Core.Tasks;

namespace AiSwitch.Cli;

/// <summary>
/// <c>aiswitch task start|status|wait|result|cancel</c> (docs/cli/task.md). A CLI process ends when its verb does, so
/// <c>task start</c> hands the run to a detached <c>aiswitch run</c> child; the others read state/tasks.json and the
/// results file it leaves under state/tasks/.
/// </summary>
internal static class TaskVerbs
{
    private static readonly string[] TableColumns =
        [nameof(AiTask.TaskId), nameof(AiTask.Status), nameof(AiTask.Progress), nameof(AiTask.Total), nameof(AiTask.Succeeded), nameof(AiTask.Failed), nameof(AiTask.Agents), nameof(AiTask.StartedAt), nameof(AiTask.OwnerPid)];

    public static Command Create(CliContext context) => new("task", "Background tasks: start one, follow it, get its results, cancel it.")
    {
        Start(context), Status(context), Wait(context), Result(context), Cancel(context),
    };

    private static Command Start(CliContext context)
    {
        var options = new TaskOptions(required: true);
        var command = new Command("start", "Start a run in the background and print its task id at once.");
        options.AddTo(command);
        command.SetAction(parse =>
        {
            // Unknown agents and bad values fail in RecordPending, before the child starts.
            var pending = TaskOperations.For(context.Session).RecordPending(options.Request(parse, preset: null), request =>
            {
                var batchId = request.BatchId!;
                var arguments = Forwarded(parse.Tokens.Select(t => t.Value).SkipWhile(t => t != "start").Skip(1).ToList());
                arguments.InsertRange(0, ["run", "--batch-id", batchId, "--results-file", ResultsPath(context, batchId), "--output-format", "json"]);
                File.WriteAllText(ResultsPath(context, batchId) + ".expected", string.Empty); // 'wait' then also waits for the results file
                return StartDetached(arguments);
            });
            context.Output.WriteLine(pending.TaskId);
            return 0;
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
            OutputRenderer.Write(context.Output, TaskJobs.For(context.Session).Get(parse.GetValue(id)), parse.GetValue(format), TableColumns);
            return 0;
        });
        return command;
    }

    private static Command Wait(CliContext context)
    {
        var id = new Argument<string>("TASK_ID") { Description = "The task id 'task start' printed." };
        var timeout = new Option<double?>("--timeout") { Description = "Seconds to wait; without it, until the task ends." };
        var format = OutputRenderer.FormatOption();
        var command = new Command("wait", "Wait until a task has finished, then show it. Exit code 8 when the timeout passes first.") { id, timeout, format };
        command.SetAction(parse =>
        {
            var jobs = TaskJobs.For(context.Session);
            var limit = parse.GetValue(timeout) is { } seconds ? Stopwatch.StartNew() : null;
            var taskId = parse.GetValue(id)!;
            while (true)
            {
                var task = jobs.Get(taskId).FirstOrDefault() ?? throw new AiSwitchException(ErrorId.TaskNotFound, $"Task '{taskId}' not found. 'aiswitch task status' lists the tasks.", taskId);
                var ownerGone = !IsAlive(task.OwnerPid);
                var resultsPath = ResultsPath(context, taskId);
                var resultsWritten = !File.Exists(resultsPath + ".expected") || File.Exists(resultsPath);
                if ((task.CompletedAt is not null && resultsWritten) || ownerGone)
                {
                    OutputRenderer.Write(context.Output, [task], parse.GetValue(format), TableColumns);
                    return task.CompletedAt is null ? ErrorId.TaskCancelled.Kind().ExitCode() : 0;
                }

                if (limit is not null && limit.Elapsed.TotalSeconds >= parse.GetValue(timeout)!.Value)
                {
                    throw new AiSwitchException(ErrorId.TaskTimeout, $"Task '{taskId}' is still running ({task.Progress}%) after {parse.GetValue(timeout)} s. Wait again, or cancel it with 'aiswitch task cancel {taskId}'.", taskId);
                }

                // Another process owns the run: its record in tasks.json is the only thing to watch.
                context.Cancellation.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(200));
                context.Cancellation.ThrowIfCancellationRequested();
            }
        });
        return command;
    }

    private static Command Result(CliContext context)
    {
        var id = new Argument<string>("TASK_ID") { Description = "The task id 'task start' printed." };
        var format = OutputRenderer.FormatOption();
        var command = new Command("result", "Print a finished task's results, one per task and agent.") { id, format };
        command.SetAction(parse =>
        {
            var taskId = parse.GetValue(id)!;
            var path = ResultsPath(context, taskId);
            if (!File.Exists(path))
            {
                throw new AiSwitchException(ErrorId.TaskNotFound, $"Task '{taskId}' has no results yet. 'aiswitch task wait {taskId}' waits for them.", taskId);
            }

            var results = JsonSerializer.Deserialize<List<TaskResult>>(File.ReadAllText(path), TaskResultFile.Options) ?? [];
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
            var task = TaskJobs.For(context.Session).Get(taskId).FirstOrDefault() ?? throw new AiSwitchException(ErrorId.TaskNotFound, $"Task '{taskId}' not found. 'aiswitch task status' lists the tasks.", taskId);
            if (task.CompletedAt is not null)
            {
                context.Error.WriteLine($"aiswitch: task '{taskId}' already ended {task.Status}.");
                return 0;
            }

            if (OperatingSystem.IsWindows())
            {
                throw new AiSwitchException(ErrorId.InvalidArgument, $"Cancelling another process's task is not supported on Windows yet. Stop process {task.OwnerPid}, or press Ctrl+C in its console.", taskId);
            }

            // SIGINT is the run's Ctrl+C: it cancels, stops the agents' process trees and still writes the finished results.
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", task.OwnerPid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
            kill.WaitForExit();
            context.Error.WriteLine($"aiswitch: cancelling task '{taskId}' (process {task.OwnerPid}).");
            return 0;
        });
        return command;
    }

    private static string ResultsPath(CliContext context, string batchId)
    {
        TaskRequests.ValidateTaskId(batchId);
        var home = context.Session.Home;
        return Path.Combine(home.Ensure(Path.Combine(home.StateDir, "tasks")), batchId + ".results.json");
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The words after 'task start', less the options the child gets from this verb (given twice they would be refused).</summary>
    private static List<string> Forwarded(List<string> words)
    {
        string[] owned = ["--batch-id", "--results-file", "--output-format"];
        var kept = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            var name = words[i].Split('=', 2)[0];
            if (owned.Contains(name, StringComparer.Ordinal))
            {
                i += words[i].Contains('=', StringComparison.Ordinal) ? 0 : 1;
                continue;
            }

            kept.Add(words[i]);
        }

        return kept;
    }

    /// <summary>The variable naming the aiswitch executable that background runs use (docs/cli/task.md).</summary>
    internal const string CliVariable = "AISWITCH_CLI";

    /// <summary>Starts the run and returns its pid (exec keeps the shell's pid through setsid and the command).</summary>
    private static int StartDetached(List<string> arguments)
    {
        // AISWITCH_CLI names the aiswitch to run in the background when set; else this process when it is the aiswitch app host
        // (installed tool, or built), else that app host beside this assembly, else 'dotnet' with the assembly.
        var assembly = typeof(TaskVerbs).Assembly.Location;
        var appHost = Path.ChangeExtension(assembly, OperatingSystem.IsWindows() ? ".exe" : null);
        var self = Environment.ProcessPath;
        var command = Environment.GetEnvironmentVariable(CliVariable) is { Length: > 0 } configured
            ? [configured]
            : self is not null && Path.GetFileNameWithoutExtension(self) == "aiswitch"
                ? [self]
                : File.Exists(appHost)
                    ? new List<string> { appHost }
                    : [Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", assembly];

        command.AddRange(arguments);
        ProcessStartInfo start;
        if (OperatingSystem.IsWindows())
        {
            start = new ProcessStartInfo(command[0]) { UseShellExecute = false, CreateNoWindow = true };
            command.RemoveAt(0);
        }
        else
        {
            // Its own session (setsid) so this terminal's Ctrl+C does not reach it, and no pipe back to this process, which is about to end.
            start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            command.InsertRange(0, ["-c", "if command -v setsid >/dev/null 2>&1; then exec setsid \"$@\" >/dev/null 2>&1 </dev/null; fi; exec \"$@\" >/dev/null 2>&1 </dev/null", "sh"]);
        }

        foreach (var argument in command)
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start)!;
        return child.Id;
    }
}
