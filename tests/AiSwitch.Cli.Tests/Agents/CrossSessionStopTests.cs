using System.Diagnostics;
using System.Text.Json;
using AiSwitch.Agent.Tests.Support;

namespace AiSwitch.Cli.Tests.Agents;

/// <summary>
/// Issue 13 item 15: one process stops an agent that another process runs. Two real aiswitch processes share a home:
/// the owner (<c>agents start NAME --wait</c>) and the stopper (<c>agents stop NAME</c>).
/// </summary>
public sealed class CrossSessionStopTests : IDisposable
{
    private readonly CliRunner.TempHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Agents_stop_stops_an_agent_another_process_runs_and_names_that_process()
    {
        Directory.CreateDirectory(Path.Combine(_home.Root, "config"));
        File.WriteAllText(Path.Combine(_home.Root, "config", "agents.yaml"), $"""
            agents:
              - name: daemon
                adapter: jsonrpc
                command: dotnet
                args: [{JsonSerializer.Serialize(ReferenceAgentProcess.DllPath)}, "--metrics-ms", "0"]
            """);
        using var owner = Start("agents", "start", "daemon", "--wait");
        try
        {
            await StopFromAnotherProcessAsync(owner);
        }
        finally
        {
            if (!owner.HasExited)
            {
                owner.Kill(entireProcessTree: true); // the test failed: leave no owner nor agent behind
            }
        }
    }

    private async Task StopFromAnotherProcessAsync(Process owner)
    {
        var ownerErrors = owner.StandardError.ReadToEndAsync();
        var agentPid = await RunningPidAsync(owner);

        var stop = new Environments.CliProcess(_home.Root, appHost: true).Run("agents", "stop", "daemon");

        Assert.True(stop.ExitCode == 0, $"agents stop exited {stop.ExitCode}: {stop.Stderr}");
        Assert.Contains("Status         : Stopped", stop.Stdout);
        Assert.Contains($"OwnerPid       : {owner.Id}", stop.Stdout);
        Assert.Contains($"aiswitch: agent 'daemon' ran in another session, process {owner.Id}; it was stopped there.", stop.Stderr);
        await owner.WaitForExitAsync();
        Assert.Equal(0, owner.ExitCode);
        Assert.Contains("aiswitch: agent 'daemon' stopped by process ", await ownerErrors);
        Assert.False(Alive(agentPid), $"the agent's process {agentPid} still runs");
        Assert.DoesNotContain("\"daemon\"", File.ReadAllText(Path.Combine(_home.Root, "state", "agents.json")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_home.Root, "state", "agent-stops")));
    }

    private Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo(CliBuild.AppHost) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AISWITCH_HOME"] = _home.Root;
        return Process.Start(start)!;
    }

    /// <summary>The agent's pid, from the owner's "Pid : N" line, printed once the agent runs.</summary>
    private static async Task<int> RunningPidAsync(Process owner)
    {
        while (await owner.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("Pid ", StringComparison.Ordinal) && int.TryParse(line[(line.IndexOf(':') + 1)..].Trim(), out var pid))
            {
                return pid;
            }
        }

        throw new Xunit.Sdk.XunitException($"The owner ended (exit {(owner.HasExited ? owner.ExitCode : -1)}) without printing the agent's pid.");
    }

    private static bool Alive(int pid)
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
}
