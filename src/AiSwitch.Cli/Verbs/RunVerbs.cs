using System.CommandLine;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Tasks;

namespace AiSwitch.Cli;

/// <summary>
/// <c>aiswitch run --agents claude,codex --parallel|--sequential|--chain --task "…" [--timeout S] [--retry N] [--fallback a,b]
/// [--coordination-mode strict|loose|isolated] [--aggregate STRATEGY] [--output-format table|json|csv]</c> (docs/cli/run.md).
/// The same options extend <c>aiswitch apply PRESET</c> and <c>aiswitch task start</c>.
/// </summary>
internal static class RunVerbs
{
    internal static readonly string[] TableColumns =
        [nameof(TaskResult.TaskId), nameof(TaskResult.Agent), nameof(TaskResult.Status), nameof(TaskResult.Attempt), nameof(TaskResult.DurationMs),
         nameof(TaskResult.InputTokens), nameof(TaskResult.OutputTokens), nameof(TaskResult.CostUsd), nameof(TaskResult.Output), nameof(TaskResult.Error)];

    private static readonly string[] PlanColumns =
        [nameof(PlannedTask.TaskId), nameof(PlannedTask.Agent), nameof(PlannedTask.Priority), nameof(PlannedTask.After), nameof(PlannedTask.ContextFrom), nameof(PlannedTask.Prompt), nameof(PlannedTask.WorkingDirectory)];

    public static Command Create(CliContext context)
    {
        var options = new TaskOptions(required: true);
        var command = new Command("run", "Run a task on several agents at once (or in turn, or as a chain) and print one result per agent.");
        options.AddTo(command);
        command.SetAction(parse => Run(context, options, parse, preset: null));
        return command;
    }

    /// <summary>Runs the request the options describe and renders its results (or their aggregate); exit code 0 only when every task succeeded.</summary>
    internal static int Run(CliContext context, TaskOptions options, ParseResult parse, string? preset)
    {
        var request = options.Request(parse, preset);
        var operations = context.Session.Tasks;
        if (parse.GetValue(options.WhatIf))
        {
            // What would run, on which agent, after what: nothing starts and nothing is written.
            OutputRenderer.Write(context.Output, operations.Plan(request), parse.GetValue(options.Format), PlanColumns);
            return 0;
        }

        options.SwitchAgentsIfAsked(context, parse, request);
        var sink = context.Sink();
        var results = PipelineBridge.Run(sink, async (operation, cancellationToken) =>
        {
            var collected = new List<TaskResult>();
            await foreach (var result in operations.InvokeAsync(request, operation, cancellationToken).ConfigureAwait(false))
            {
                collected.Add(result);
            }

            return collected;
        }, context.Cancellation);

        var format = parse.GetValue(options.Format);
        if (parse.GetValue(options.Aggregate) is { } strategy)
        {
            OutputRenderer.Write(context.Output, [TaskDoor.Merge(results, strategy)], format);
        }
        else
        {
            OutputRenderer.Write(context.Output, results, format, format == OutputFormat.Table ? TableColumns : null);
        }

        return results.All(r => r.Success) ? sink.ExitCode : results.First(r => !r.Success).ErrorId is { } id && Enum.TryParse<ErrorId>(id, out var parsed) ? parsed.Kind().ExitCode() : 1;
    }
}

/// <summary>
/// The options of a task request, shared by run, apply and task start: each is a parameter of Invoke-AiTask and
/// Start-AiTask under its kebab-case name (tests/AiSwitch.PowerShell.Tests/Contracts/CliParityTests keeps them equal).
/// </summary>
internal sealed class TaskOptions
{
    /// <param name="presetOption">False for apply, whose PRESET argument is the preset.</param>
    public TaskOptions(bool required, bool presetOption = true)
    {
        Agents = new Option<string[]>("--agents") { Description = "Agents to run on, comma-separated (claude,codex).", Required = required, AllowMultipleArgumentsPerToken = true };
        Tasks = new Option<string[]>("--task") { Description = "The prompt; repeat for several tasks.", Required = required };
        Preset = presetOption ? new Option<string?>("--preset") { Description = "The preset the agents run with, for this run only." } : null;
    }

    public Option<string[]> Agents { get; }

    public Option<string[]> Tasks { get; }

    public Option<bool> Parallel { get; } = new("--parallel") { Description = "Every task on every agent at once (the default)." };

    public Option<bool> Sequential { get; } = new("--sequential") { Description = "One agent after another." };

    public Option<bool> Chain { get; } = new("--chain") { Description = "Each agent gets the previous agent's output as context." };

    public Option<DistributionStrategy?> Distribute { get; } = new("--distribute") { Description = "Spread the tasks over the agents: roundrobin, leastbusy, capability or hash." };

    public Option<int> ThrottleLimit { get; } = new("--throttle-limit") { Description = "The most tasks running at once (0: no limit beyond each agent's)." };

    public Option<double?> Timeout { get; } = new("--timeout") { Description = "Seconds one attempt may take; its processes are stopped after that. Default: the agent's default_timeout, else 30 min for claude/codex/gemini." };

    public Option<int> Retry { get; } = new("--retry") { Description = "Retries on 429, overloaded and connection failures, with exponential back-off." };

    public Option<string[]> Fallback { get; } = new("--fallback") { Description = "Agents that take over once retries are spent, comma-separated." };

    public Option<TaskCoordinationMode> Coordination { get; } = new("--coordination-mode") { Description = "strict (one agent per folder), loose (default) or isolated (own worktree, diff back).", DefaultValueFactory = _ => TaskCoordinationMode.Loose };

    public Option<int?> Priority { get; } = new("--priority") { Description = "1 (lowest) to 10." };

    public Option<string?> WorkingDirectory { get; } = new("--working-directory") { Description = "Where the agents work (default: here)." };

    public Option<AggregationStrategy?> Aggregate { get; } = new("--aggregate") { Description = "Print one merged answer: all, firstsuccess, majority, fastest, cheapest or longest." };

    public Option<string?> BatchId { get; } = new("--batch-id") { Description = "The task id to give the run (default: generated).", Hidden = true };

    public Option<string?>? Preset { get; }

    public Option<string?> SystemPrompt { get; } = new("--system-prompt") { Description = "The system prompt every task is given." };

    public Option<int?> MaxTokens { get; } = new("--max-tokens") { Description = "The most output tokens a task may use (at least 1)." };

    public Option<double?> Temperature { get; } = new("--temperature") { Description = "Sampling temperature, 0 to 2." };

    public Option<string[]> TaskIds { get; } = new("--task-id") { Description = "The id of a task, which --depends-on names; the first --task-id is the first --task's, and so on." };

    public Option<string[]> DependsOn { get; } = new("--depends-on")
    {
        Description = "TASK:ID[,ID]: task TASK starts after the tasks ID have succeeded. A bare ID: every other task waits for it.",
    };

    public Option<string[]> Capabilities { get; } = new("--capability") { Description = "Tags an agent must carry to be given a task (with --distribute capability); comma-separated or repeated." };

    public Option<bool> SwitchEnv { get; } = new("--switch-env")
    {
        Description = "Switch the agents' environment to the preset for good (as 'env switch' does, a snapshot first) before the run, not only for it.",
    };

    public Option<OutputFormat> Format { get; } = OutputRenderer.FormatOption();

    public Option<bool> WhatIf { get; } = new("--what-if") { Description = "Show what would run, on which agent, and start nothing." };

    public void AddTo(Command command)
    {
        Option?[] options =
        [
            Agents, Tasks, TaskIds, Preset, SystemPrompt, MaxTokens, Temperature, Priority, DependsOn, Capabilities, Parallel, Sequential, Chain,
            Distribute, ThrottleLimit, Timeout, Retry, Fallback, Coordination, WorkingDirectory, SwitchEnv, Aggregate, BatchId, Format, WhatIf,
        ];
        foreach (var option in options.OfType<Option>())
        {
            command.Options.Add(option);
        }
    }

    /// <summary>With --switch-env: binds the request's preset to its agents for good, and says so on stderr, one line per agent.</summary>
    public void SwitchAgentsIfAsked(CliContext context, ParseResult parse, InvokeTaskRequest request)
    {
        if (!parse.GetValue(SwitchEnv))
        {
            return;
        }

        var switched = PipelineBridge.Run(context.Sink(), (_, token) => context.Session.Tasks.SwitchAgentsAsync(request, cancellationToken: token), context.Cancellation);
        foreach (var result in switched)
        {
            context.Error.WriteLine(Describe(result));
        }
    }

    /// <summary>One switched agent, and how to undo it.</summary>
    public static string Describe(SwitchResult result)
        => $"aiswitch: agent '{result.Agent}' now runs with preset '{result.CurrentPreset}' (was {(result.PreviousPreset is { } previous ? $"'{previous}'" : "none")})"
           + (result.SnapshotId is { } id ? $"; undo with: aiswitch env rollback {result.Agent} {id}" : string.Empty);

    /// <summary>True when the user asked for a task (apply's task form).</summary>
    public bool Given(ParseResult parse) => (parse.GetValue(Agents)?.Length ?? 0) > 0 || (parse.GetValue(Tasks)?.Length ?? 0) > 0;

    public InvokeTaskRequest Request(ParseResult parse, string? preset)
    {
        var tasks = parse.GetValue(Tasks) ?? [];
        if (tasks.Length == 0)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument, "No task given. Add --task \"what to do\".");
        }

        var ids = parse.GetValue(TaskIds) ?? [];
        if (ids.Length > tasks.Length)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                $"{ids.Length} --task-id for {tasks.Length} --task: the first --task-id names the first --task, and so on. Give at most one id per task.");
        }

        var dependencies = Dependencies(parse.GetValue(DependsOn) ?? [], ids);
        var specs = tasks.Select((prompt, i) =>
        {
            var id = i < ids.Length ? ids[i] : null;
            return TaskRequests.Check(new TaskSpec
            {
                Prompt = prompt,
                TaskId = id,
                SystemPrompt = parse.GetValue(SystemPrompt),
                MaxTokens = parse.GetValue(MaxTokens),
                Temperature = parse.GetValue(Temperature),
                Priority = parse.GetValue(Priority),
                DependsOn = [.. dependencies.Where(d => d.Task is null ? !string.Equals(d.After, id, StringComparison.OrdinalIgnoreCase) : string.Equals(d.Task, id, StringComparison.OrdinalIgnoreCase)).Select(d => d.After)],
                Capabilities = Split(parse.GetValue(Capabilities)),
            });
        }).ToList();
        preset ??= Preset is null ? null : parse.GetValue(Preset);
        var request = TaskRequests.Create(
            specs,
            Split(parse.GetValue(Agents)), parse.GetValue(Parallel), parse.GetValue(Sequential), parse.GetValue(Chain), parse.GetValue(Distribute),
            parse.GetValue(ThrottleLimit), parse.GetValue(Timeout), parse.GetValue(Retry), Split(parse.GetValue(Fallback)), parse.GetValue(Coordination),
            Path.GetFullPath(parse.GetValue(WorkingDirectory) ?? Environment.CurrentDirectory), preset);
        return request with { BatchId = parse.GetValue(BatchId) };
    }

    /// <summary>
    /// "code:plan,test" (code waits for plan and test) or a bare "plan" (every other task waits for it). A TASK that
    /// names no --task-id is refused here, where the fix is plain, not later as a task that never starts.
    /// </summary>
    private static List<(string? Task, string After)> Dependencies(string[] values, string[] ids)
    {
        var found = new List<(string? Task, string After)>();
        foreach (var value in values)
        {
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            var task = colon < 0 ? null : value[..colon].Trim();
            if (task is not null && !ids.Contains(task, StringComparer.OrdinalIgnoreCase))
            {
                throw new AiSwitchException(ErrorId.InvalidArgument,
                    $"--depends-on '{value}' names task '{task}', which no --task-id gives. Name the task first: --task-id {task} --task \"…\".");
            }

            found.AddRange(Split([value[(colon + 1)..]]).Select(after => (task, after)));
        }

        return found;
    }

    private static List<string> Split(string[]? values) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
