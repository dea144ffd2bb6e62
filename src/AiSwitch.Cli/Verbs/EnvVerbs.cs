using System.CommandLine;
using AiSwitch.Core.Environments;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Presets;

namespace AiSwitch.Cli;

/// <summary>
/// <c>aiswitch env switch|snapshot|rollback|list|remove</c>: agents' environments and snapshots. The target
/// <c>session</c> is this aiswitch process, so switching it changes no shell: use <c>aiswitch apply</c> for that.
/// </summary>
internal static class EnvVerbs
{
    internal static readonly string[] SnapshotColumns = ["SnapshotId", "Agent", "Timestamp", "PresetName", "VariableCount", "ChecksumValid", "Description"];
    private static readonly string[] RollbackColumns = ["SnapshotId", "Agent", "PreviousPreset", "PresetName", "RolledBackAt", "ChecksumVerified"];

    public static Command Create(CliContext context)
    {
        var env = new Command("env", "Switch agents' environments, and take, list, restore and remove snapshots.");
        env.Subcommands.Add(Switch(context));
        env.Subcommands.Add(Snapshot(context));
        env.Subcommands.Add(Rollback(context));
        env.Subcommands.Add(List(context));
        env.Subcommands.Add(Remove(context));
        return env;
    }

    /// <summary>The <c>--shell bash|zsh|fish|pwsh</c> option of the verbs that print lines for eval.</summary>
    internal static Option<string?> ShellOption(string description)
    {
        var shell = new Option<string?>("--shell") { Description = description };
        shell.AcceptOnlyFromAmong("bash", "zsh", "fish", "pwsh");
        return shell;
    }

    internal static Argument<string> AgentArgument() => new("agent") { Description = "The agent, or 'session' for this aiswitch process." };

    private static Command Switch(CliContext context)
    {
        var agent = AgentArgument();
        var preset = new Argument<string>("preset") { Description = "The preset to apply." };
        var variables = new Option<string[]>("--var") { Description = "An override NAME=VALUE (a literal, env:NAME or file:PATH); repeatable." };
        var noSnapshot = new Option<bool>("--no-snapshot") { Description = "Do not snapshot the environment first." };
        var format = OutputRenderer.FormatOption();
        var command = new Command("switch", "Switch an agent's environment to a preset: every reference resolves first, then all variables change or none.")
        {
            agent, preset, variables, noSnapshot, format,
        };
        command.SetAction(parse =>
        {
            var overrides = PresetDoor.ParseAssignments(parse.GetValue(variables) ?? []);
            if (EnvironmentDoor.IsSession(parse.GetValue(agent)!))
            {
                context.Error.WriteLine("aiswitch: warning: 'session' is this aiswitch process; your shell is unchanged. Use eval \"$(aiswitch apply PRESET)\" for the shell.");
            }

            var result = PipelineBridge.Run(context.Sink(), (_, token) => context.Session.Environments
                .SwitchAsync(parse.GetValue(agent), parse.GetValue(preset)!, overrides, snapshot: !parse.GetValue(noSnapshot), cancellationToken: token), context.Cancellation);
            OutputRenderer.Write(context.Output, [result], parse.GetValue(format));
            return 0;
        });
        return command;
    }

    private static Command Snapshot(CliContext context)
    {
        var agent = AgentArgument();
        var id = new Argument<string?>("id") { Description = "The snapshot id (default: a timestamp).", Arity = ArgumentArity.ZeroOrOne };
        var description = new Option<string?>("--description") { Description = "A note kept with the snapshot." };
        var format = OutputRenderer.FormatOption();
        var command = new Command("snapshot", "Save an agent's current environment as a snapshot.") { agent, id, description, format };
        command.SetAction(parse =>
        {
            var snapshot = context.Session.Environments.Checkpoint(parse.GetValue(agent), parse.GetValue(id), parse.GetValue(description));
            OutputRenderer.Write(context.Output, [snapshot], parse.GetValue(format), SnapshotColumns);
            return 0;
        });
        return command;
    }

    private static Command Rollback(CliContext context)
    {
        var agent = AgentArgument();
        var id = new Argument<string>("id") { Description = "The snapshot to restore." };
        var force = new Option<bool>("--force") { Description = "Restore even when the snapshot does not match its checksum." };
        var shell = ShellOption("For the target 'session': print lines that restore your shell, for eval (bash, zsh, fish or pwsh). They hold the real values.");
        var format = OutputRenderer.FormatOption();
        var command = new Command("rollback", "Restore an agent's environment from a snapshot (checksum verified).") { agent, id, force, shell, format };
        command.SetAction(parse =>
        {
            var operations = context.Session.Environments;
            if (parse.GetValue(shell) is { } shellName)
            {
                if (!EnvironmentDoor.IsSession(parse.GetValue(agent)!))
                {
                    throw new AiSwitchException(ErrorId.InvalidArgument,
                        $"--shell restores a shell's environment, so it takes the target 'session', not '{parse.GetValue(agent)}'. Leave --shell out for an agent.", "--shell");
                }

                var (_, script) = operations.RestoreForShell(parse.GetValue(id)!, shellName, parse.GetValue(force));
                context.Output.Write(script);
                return 0;
            }

            var result = operations.Restore(parse.GetValue(agent), parse.GetValue(id)!, parse.GetValue(force));
            OutputRenderer.Write(context.Output, [result], parse.GetValue(format), RollbackColumns);
            return 0;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var agent = new Argument<string?>("agent") { Description = "Only this agent's (or 'session') snapshots.", Arity = ArgumentArity.ZeroOrOne };
        var id = new Option<string?>("--id") { Description = "Only snapshot ids matching this pattern (* ? [..])." };
        var format = OutputRenderer.FormatOption();
        var command = new Command("list", "List snapshots, oldest first (values redacted).") { agent, id, format };
        command.SetAction(parse =>
        {
            var snapshots = context.Session.Environments.ListSnapshots(parse.GetValue(agent), parse.GetValue(id));
            OutputRenderer.Write(context.Output, snapshots, parse.GetValue(format), SnapshotColumns);
            return 0;
        });
        return command;
    }

    private static Command Remove(CliContext context)
    {
        var agent = AgentArgument();
        var id = new Argument<string>("id") { Description = "The snapshot to remove." };
        var command = new Command("remove", "Remove a snapshot.") { agent, id };
        command.SetAction(parse =>
        {
            context.Session.Environments.RemoveSnapshot(parse.GetValue(agent), parse.GetValue(id)!);
            return 0;
        });
        return command;
    }
}
