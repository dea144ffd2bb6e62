using AiSwitch.Agent;

namespace AiSwitch.ReferenceAgent;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        CommandLine commandLine;
        try
        {
            commandLine = CommandLine.Parse(args);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"aiswitch-reference-agent: {e.Message}");
            await Console.Error.WriteLineAsync(CommandLine.Usage);
            return 2;
        }

        if (commandLine.Once is { } prompt)
        {
            // One task from the command line, no protocol: a quick one-shot for scripts (docs/reference-agent.md).
            await Task.Delay(commandLine.Behavior.LatencyMs);
            await Console.Out.WriteLineAsync(commandLine.Behavior.Reply ?? prompt);
            return 0;
        }

        var options = new AgentHostOptions { AgentId = commandLine.AgentId };
        options = commandLine.HeartbeatInterval is { } heartbeat ? options with { HeartbeatInterval = heartbeat } : options;
        options = commandLine.MetricsInterval is { } metrics ? options with { MetricsInterval = metrics } : options;
        return await AgentHost.RunAsync(new ReferenceAgent(commandLine.Behavior), options);
    }
}
