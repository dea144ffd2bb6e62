using System.CommandLine;
using AiSwitch.Core.Environments;
using AiSwitch.Core.Hosting;

namespace AiSwitch.Cli;

/// <summary>
/// <c>aiswitch apply</c> (lines for the shell to eval), <c>aiswitch exec</c> (one command with a preset applied)
/// and <c>aiswitch current</c>. A child process cannot change its shell's environment, so <c>apply</c> prints
/// the change with the REAL values for <c>eval</c>; its summary goes to stderr, which <c>$(…)</c> does not capture.
/// </summary>
internal static class ApplyVerbs
{
    public static IEnumerable<Command> Create(CliContext context) => [Apply(context), Exec(context), Current(context)];

    private static Command Apply(CliContext context)
    {
        var preset = new Argument<string?>("preset") { Description = "The preset (default: the project pin in .aiswitch.yaml).", Arity = ArgumentArity.ZeroOrOne };
        var shell = EnvVerbs.ShellOption("bash (default), zsh, fish or pwsh.");
        var noSnapshot = new Option<bool>("--no-snapshot") { Description = "Do not snapshot the environment first." };
        var command = new Command("apply", "Print the lines that apply a preset to your shell: eval \"$(aiswitch apply NAME)\". They hold the real values. With --agents alone, switch those agents to the preset (as 'env switch' does); with --agents and --task, run the task with that preset instead.")
        {
            preset, shell, noSnapshot,
        };
        var task = new TaskOptions(required: false, presetOption: false);
        task.AddTo(command);
        command.SetAction(parse =>
        {
            if (task.Given(parse))
            {
                return (parse.GetValue(task.Tasks)?.Length ?? 0) == 0
                    ? BindToAgents(context, task, parse, parse.GetValue(preset), snapshot: !parse.GetValue(noSnapshot), parse.GetValue(shell))
                    : RunVerbs.Run(context, task, parse, parse.GetValue(preset));
            }

            var kind = (parse.GetValue(shell) ?? "bash").ToLowerInvariant();
            var (result, script) = context.Session.Environments
                .ApplyForShell(parse.GetValue(preset), Environment.CurrentDirectory, kind, snapshot: !parse.GetValue(noSnapshot));
            context.Output.Write(script);
            var snapshot = result.SnapshotId is null
                ? string.Empty
                : $"; undo with: eval \"$(aiswitch env rollback session {result.SnapshotId} --shell {kind})\"";
            context.Error.WriteLine($"aiswitch: preset '{result.CurrentPreset}' ({result.VariablesSet.Count} set, {result.VariablesRemoved.Count} removed){snapshot}");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// <c>aiswitch apply PRESET --agents a,b</c> with no task (seed 000 §1.5): each agent is switched to the preset exactly as
    /// <c>aiswitch env switch AGENT PRESET</c> does, one after another; the results go to stdout, how to undo each to stderr.
    /// </summary>
    private static int BindToAgents(CliContext context, TaskOptions task, ParseResult parse, string? preset, bool snapshot, string? shell)
    {
        if (string.IsNullOrEmpty(preset))
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                "--agents without --task switches those agents to a preset, and none was named. Name it: aiswitch apply PRESET --agents NAME[,NAME].", "preset");
        }

        if (shell is not null)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                $"--shell {shell} prints lines for your shell, but --agents switches agents, not the shell. Leave out --shell or --agents.", "--shell");
        }

        var agents = (parse.GetValue(task.Agents) ?? []).SelectMany(a => a.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (parse.GetValue(task.WhatIf))
        {
            agents.ForEach(agent => context.Output.WriteLine($"What if: switch agent '{agent}' to preset '{preset}'"));
            return 0;
        }

        var results = agents.Select(agent => PipelineBridge.Run(context.Sink(), (_, token) => context.Session.Environments
            .SwitchAsync(agent, preset, snapshot: snapshot, cancellationToken: token), context.Cancellation)).ToList();
        OutputRenderer.Write(context.Output, results, parse.GetValue(task.Format));
        results.ForEach(result => context.Error.WriteLine(TaskOptions.Describe(result)));
        return 0;
    }

    private static Command Exec(CliContext context)
    {
        var preset = new Argument<string>("preset") { Description = "The preset to apply to the command's environment." };
        var commandLine = new Argument<string[]>("command") { Description = "The command and its arguments, after --.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("exec", "Run a command with a preset applied to its environment; its exit code is passed through.") { preset, commandLine };
        command.SetAction(parse =>
        {
            var words = parse.GetValue(commandLine)!;
            return context.Session.Environments
                .ExecAsync(parse.GetValue(preset), Environment.CurrentDirectory, words[0], words[1..], context.Cancellation)
                .GetAwaiter().GetResult();
        });
        return command;
    }

    private static Command Current(CliContext context)
    {
        var format = OutputRenderer.FormatOption();
        var command = new Command("current", "Show the preset applied to this shell's session and to each agent.") { format };
        command.SetAction(parse =>
        {
            OutputRenderer.Write(context.Output, context.Session.Environments.Current(), parse.GetValue(format));
            return 0;
        });
        return command;
    }
}
