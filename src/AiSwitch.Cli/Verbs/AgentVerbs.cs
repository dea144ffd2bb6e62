using System.CommandLine;
using System.Globalization;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Hosting;

namespace AiSwitch.Cli;

/// <summary>
/// <c>aiswitch agents list|status|register|unregister|start|stop|restart</c> (docs/cli/agents.md): the agent cmdlets'
/// twins over the same <see cref="AgentRegistry"/>. An agent lives as long as the session that starts it; a CLI
/// session is one command, so <c>start</c> checks the agent and, with --wait, keeps it running until Ctrl+C.
/// </summary>
internal static class AgentVerbs
{
    private static readonly string[] ListColumns =
        [nameof(AiAgent.Name), nameof(AiAgent.Adapter), nameof(AiAgent.Status), nameof(AiAgent.Circuit), nameof(AiAgent.Preset), nameof(AiAgent.Pid), nameof(AiAgent.Uptime),
         nameof(AiAgent.ActiveTasks), nameof(AiAgent.TasksDone), nameof(AiAgent.Errors), nameof(AiAgent.LastHeartbeat), nameof(AiAgent.Command), nameof(AiAgent.Source)];

    public static Command Create(CliContext context) => new("agents", "Agent definitions and the agents running in AiSwitch sessions.")
    {
        List(context),
        Status(context),
        Register(context),
        Unregister(context),
        Start(context),
        Stop(context),
        Restart(context),
    };

    private static AgentDoor Registry(CliContext context) => context.Session.Agents;

    private static Argument<string> NameArgument() => new("NAME") { Description = "The agent's name." };

    private static Command List(CliContext context)
    {
        var pattern = new Argument<string?>("PATTERN") { Arity = ArgumentArity.ZeroOrOne, Description = "Only names matching (wildcards * ? [..])." };
        var running = new Option<bool>("--running") { Description = "Only agents that some session runs." };
        var format = OutputRenderer.FormatOption();
        var list = new Command("list", "List agents (built-in and registered) with their status in any session.") { pattern, running, format };
        list.SetAction(parse =>
        {
            var agents = Registry(context).Get(parse.GetValue(pattern), parse.GetValue(running));
            OutputRenderer.Write(context.Output, agents, parse.GetValue(format), parse.GetValue(format) == OutputFormat.Table ? ListColumns : null);
            return 0;
        });
        return list;
    }

    private static Command Status(CliContext context)
    {
        var name = NameArgument();
        var format = OutputRenderer.FormatOption();
        var status = new Command("status", "Show one agent: status, preset, process, tasks, restarts and the last error.") { name, format };
        status.SetAction(parse =>
        {
            Render(context, Registry(context).Get(parse.GetValue(name)).Single(), parse.GetValue(format));
            return 0;
        });
        return status;
    }

    private static Command Register(CliContext context)
    {
        var name = NameArgument();
        var adapter = new Option<string>("--adapter") { Required = true, Description = "claude-code, codex, gemini, jsonrpc, anthropic or openai." };
        var command = new Option<string?>("--command") { Description = "The executable (found on PATH, or a path); default: the adapter's." };
        var arguments = new Option<string[]>("--arg") { Description = "An argument placed before the adapter's own; repeatable.", AllowMultipleArgumentsPerToken = false };
        var preset = new Option<string?>("--preset") { Description = "The agent's default preset." };
        var tags = new Option<string[]>("--tag") { Description = "A capability tag; repeatable.", AllowMultipleArgumentsPerToken = false };
        var maxConcurrency = new Option<int>("--max-concurrency") { Description = "Tasks it may run at once (1-64).", DefaultValueFactory = _ => 1 };
        var workingDirectory = new Option<string?>("--working-directory") { Description = "The folder it runs in; default: where the task is started." };
        var model = new Option<string?>("--model") { Description = "The model; default: the preset's model variable." };
        var timeout = new Option<double?>("--timeout") { Description = "Default task timeout in seconds." };
        var force = new Option<bool>("--force") { Description = "Replace a registered agent of that name." };
        var register = new Command("register", "Add an agent to config/agents.yaml (a built-in's name overrides the built-in).")
        {
            name, adapter, command, arguments, preset, tags, maxConcurrency, workingDirectory, model, timeout, force,
        };
        register.SetAction(parse =>
        {
            var directory = parse.GetValue(workingDirectory);
            var definition = Registry(context).Register(new RegisterAgentRequest
            {
                Name = parse.GetValue(name)!,
                Adapter = parse.GetValue(adapter)!,
                Command = parse.GetValue(command),
                Arguments = parse.GetValue(arguments) ?? [],
                Preset = parse.GetValue(preset),
                Tags = parse.GetValue(tags) ?? [],
                MaxConcurrency = parse.GetValue(maxConcurrency),
                WorkingDirectory = directory is null ? null : Path.GetFullPath(directory),
                Model = parse.GetValue(model),
                DefaultTimeout = parse.GetValue(timeout) is { } seconds ? Seconds(seconds) : null,
                Force = parse.GetValue(force),
            });
            context.Output.WriteLine($"Registered agent '{definition.Name}' ({definition.Adapter}) in {definition.Source}.");
            return 0;
        });
        return register;
    }

    private static Command Unregister(CliContext context)
    {
        var name = NameArgument();
        var unregister = new Command("unregister", "Remove an agent from config/agents.yaml.") { name };
        unregister.SetAction(parse =>
        {
            var agent = parse.GetValue(name)!;
            PipelineBridge.Run(context.Sink(), (_, token) => Registry(context).UnregisterAsync(agent, token), context.Cancellation);
            context.Output.WriteLine($"Unregistered agent '{agent}'.");
            return 0;
        });
        return unregister;
    }

    private static Command Start(CliContext context)
    {
        var name = NameArgument();
        var preset = new Option<string?>("--preset") { Description = "Run with this preset instead of the agent's own." };
        var wait = new Option<bool>("--wait") { Description = "Keep the agent running until Ctrl+C (it stops when this command ends)." };
        var start = new Command("start", "Start an agent: check that it can run and, with --wait, keep it running until Ctrl+C.") { name, preset, wait };
        start.SetAction(parse =>
        {
            var request = new StartAgentRequest { Name = parse.GetValue(name)!, Preset = parse.GetValue(preset), WorkingDirectory = Environment.CurrentDirectory };
            var registry = Registry(context);
            var agent = PipelineBridge.Run(context.Sink(), (_, token) => registry.StartAsync(request, token), context.Cancellation);
            Render(context, agent, OutputFormat.Table);
            if (!parse.GetValue(wait))
            {
                context.Error.WriteLine($"aiswitch: agent '{agent.Name}' is ready; it stops when this command ends (use --wait to keep it running).");
                return 0;
            }

            return WaitUntilCancelled(context, registry, agent.Name);
        });
        return start;
    }

    private static Command Stop(CliContext context)
    {
        var name = NameArgument();
        var force = new Option<bool>("--force") { Description = "Kill at once, without letting running tasks finish." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds tasks get to finish first.", DefaultValueFactory = _ => StopAgentRequest.DefaultTimeout.TotalSeconds };
        var stop = new Command("stop", "Stop an agent, in this session or in the one that runs it, and kill its process tree.") { name, force, timeout };
        stop.SetAction(parse =>
        {
            var request = new StopAgentRequest { Name = parse.GetValue(name)!, Force = parse.GetValue(force), Timeout = Seconds(parse.GetValue(timeout)) };
            var agent = PipelineBridge.Run(context.Sink(), (_, token) => Registry(context).StopAsync(request, token), context.Cancellation);
            Render(context, agent, OutputFormat.Table);
            if (agent.OwnerPid is { } owner && owner != Environment.ProcessId)
            {
                context.Error.WriteLine($"aiswitch: agent '{agent.Name}' ran in another session, process {owner}; it was stopped there.");
            }

            return 0;
        });
        return stop;
    }

    private static Command Restart(CliContext context)
    {
        var name = NameArgument();
        var restart = new Command("restart", "Stop an agent of this session and start it again.") { name };
        restart.SetAction(parse =>
        {
            var agent = PipelineBridge.Run(context.Sink(), (_, token) => Registry(context).RestartAsync(parse.GetValue(name)!, token), context.Cancellation);
            Render(context, agent, OutputFormat.Table);
            return 0;
        });
        return restart;
    }

    private static int WaitUntilCancelled(CliContext context, AgentDoor registry, string name)
    {
        var failed = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        registry.StatusChanged += (_, e) =>
        {
            if (e.Agent == name && e.Current == AgentStatus.Error)
            {
                failed.TrySetResult(e.Reason);
            }
            else if (e.Agent == name && e.Current == AgentStatus.Stopped)
            {
                stopped.TrySetResult(e.Reason); // another process stopped it (aiswitch agents stop, Stop-AiAgent)
            }
        };
        try
        {
            if (Task.WhenAny(failed.Task, stopped.Task).WaitAsync(context.Cancellation).GetAwaiter().GetResult() == stopped.Task)
            {
                context.Error.WriteLine($"aiswitch: agent '{name}' {stopped.Task.Result ?? "stopped"}.");
                return 0;
            }
        }
        catch (OperationCanceledException)
        {
            return 0; // Ctrl+C: the session ends and stops the agent
        }

        throw new AiSwitchException(ErrorId.AgentNotResponding, failed.Task.Result ?? $"Agent '{name}' failed.", name);
    }

    /// <summary>One agent: label: value lines for a table, the object for json and csv.</summary>
    private static void Render(CliContext context, AiAgent agent, OutputFormat format)
    {
        if (format != OutputFormat.Table)
        {
            OutputRenderer.Write(context.Output, [agent], format);
            return;
        }

        var properties = typeof(AiAgent).GetProperties();
        var width = properties.Max(p => p.Name.Length);
        foreach (var property in properties)
        {
            var value = property.GetValue(agent) switch
            {
                null => string.Empty,
                IReadOnlyList<string> list => string.Join(", ", list),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString() ?? string.Empty,
            };
            context.Output.WriteLine($"{property.Name.PadRight(width)} : {value}");
        }
    }

    private static TimeSpan Seconds(double seconds)
        => double.IsFinite(seconds) && seconds is >= 0 and <= 86_400
            ? TimeSpan.FromSeconds(seconds)
            : throw new AiSwitchException(ErrorId.InvalidArgument,
                $"{seconds.ToString(CultureInfo.InvariantCulture)} is not a number of seconds between 0 and 86400.");
}
