using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AiSwitch.Agent.Tests.Support;
using AiSwitch.Cli.Tests.Environments;

namespace AiSwitch.Cli.Tests;

/// <summary>
/// Issue 13's acceptance: every example command of seed 000 (§1.5, §2.5, §3.4, §4.5) runs as written, through the built
/// <c>aiswitch</c> app host, and does what the seed says; so do seed 003's usage examples (register two agents, run one task
/// on both in parallel, switch an agent's environment) in their command-line form. The agents named claude and codex are
/// the reference agent over the AiSwitch protocol, so no real CLI, key or network is involved.
/// </summary>
public sealed class SeedCommandsTests : IDisposable
{
    private readonly CliRunner.TempHome _home = new();
    private readonly CliProcess _cli;

    public SeedCommandsTests()
    {
        Directory.CreateDirectory(Path.Combine(_home.Root, "config"));
        var agent = JsonSerializer.Serialize(ReferenceAgentProcess.DllPath);
        File.WriteAllText(Path.Combine(_home.Root, "config", "agents.yaml"), $"""
            agents:
              - name: claude
                adapter: jsonrpc
                command: dotnet
                args: [{agent}, "--input-tokens", "120", "--output-tokens", "30", "--model", "claude-sonnet-4", "--metrics-ms", "0"]
              - name: codex
                adapter: jsonrpc
                command: dotnet
                args: [{agent}, "--input-tokens", "80", "--output-tokens", "20", "--model", "gpt-4", "--metrics-ms", "0"]
            """);
        _cli = new CliProcess(_home.Root, appHost: true);
        Ok(_cli.Run("preset", "add", "gpt4", "OPENAI_MODEL=gpt-4"));
        Ok(_cli.Run("preset", "add", "openai-gpt4", "OPENAI_MODEL=gpt-4o"));
        Ok(_cli.Run("preset", "add", "anthropic-claude-sonnet", "ANTHROPIC_MODEL=claude-sonnet-4"));
    }

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Seed_000_phase_1_apply_binds_the_preset_and_agents_list_and_status_show_the_agents()
    {
        var apply = Ok(Seed("aiswitch apply gpt4 --agents claude"));
        Assert.Contains("aiswitch: agent 'claude' now runs with preset 'gpt4'", apply.Stderr);
        Assert.Contains("\"preset\": \"gpt4\"", File.ReadAllText(Path.Combine(_home.Root, "state", "environments", "claude.json")));

        var list = Ok(Seed("aiswitch agents list"));
        Assert.Matches(@"(?m)^claude\s+jsonrpc\s+Stopped", list.Stdout);
        Assert.Matches(@"(?m)^codex\s+jsonrpc\s+Stopped", list.Stdout);

        var status = Ok(Seed("aiswitch agents status claude"));
        Assert.Contains("Name           : claude", status.Stdout);
        Assert.Contains("Status         : Stopped", status.Stdout);
    }

    [Fact]
    public async Task Seed_000_phases_2_and_4_run_a_task_then_metrics_tokens_and_the_monitor_show_it()
    {
        // §4.5's final form: the task on both agents in parallel, with the preset, as JSON.
        var run = Ok(Seed("""
            aiswitch apply gpt4 \
              --agents claude,codex \
              --parallel \
              --coordination-mode strict \
              --timeout 300 \
              --retry 3 \
              --output-format json \
              --task "生成一个完整的Web应用"
            """));
        using (var results = JsonDocument.Parse(run.Stdout))
        {
            var byAgent = results.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("agent").GetString()!);
            Assert.Equal(["claude", "codex"], byAgent.Keys.Order());
            Assert.All(byAgent.Values, r => Assert.True(r.GetProperty("success").GetBoolean(), r.ToString()));
            Assert.All(byAgent.Values, r => Assert.Equal("生成一个完整的Web应用", r.GetProperty("output").GetString()));
            Assert.All(byAgent.Values, r => Assert.Equal("gpt4", r.GetProperty("preset").GetString()));
        }

        Assert.Contains("生成一个完整的Web应用", run.Stdout); // written as UTF-8, not \u escapes

        // §2.5: what claude just did shows in its samples, the ledger and the monitor.
        var metrics = Ok(Seed("aiswitch metrics show --agent claude --timeframe day"));
        Assert.Matches(@"(?m)^claude\s+coordinator\s+\d{4}-\d\d-\d\d", metrics.Stdout); // AiSwitch's own sample
        Assert.DoesNotMatch(@"(?m)^codex\b", metrics.Stdout);

        var tokens = Ok(Seed("aiswitch tokens summary --all"));
        Assert.Matches(@"(?m)^claude\s+120\s+30\s+0\s+0\s+150\b", tokens.Stdout);
        Assert.Matches(@"(?m)^codex\s+80\s+20\s+0\s+0\s+100\b", tokens.Stdout);

        var monitor = await MonitorUntilCtrlCAsync(Words("aiswitch monitor --real-time"));
        Assert.Equal(0, monitor.ExitCode);
        Assert.StartsWith("\u001b[?1049h", monitor.Stdout);        // the alternate screen, as a terminal would get
        Assert.Matches(@"(?m)^claude\s+(idle|stopped)\s.*\s150\s", monitor.Stdout.Replace("\u001b[K", string.Empty, StringComparison.Ordinal));
        Assert.EndsWith("\u001b[?25h\u001b[?1049l", monitor.Stdout); // and the screen given back on Ctrl+C
    }

    [Fact]
    public void Seed_000_phase_3_switch_snapshot_and_rollback_an_agents_environment()
    {
        Ok(Seed("aiswitch env switch claude openai-gpt4"));
        Ok(Seed("aiswitch env snapshot claude snapshot-1"));
        Ok(_cli.Run("env", "switch", "claude", "gpt4"));   // a later change, for the rollback to undo

        var rollback = Ok(Seed("aiswitch env rollback claude snapshot-1"));

        Assert.Matches(@"(?m)^snapshot-1\s+claude\s+gpt4\s+openai-gpt4\s", rollback.Stdout);
        var record = File.ReadAllText(Path.Combine(_home.Root, "state", "environments", "claude.json"));
        Assert.Contains("\"preset\": \"openai-gpt4\"", record);
        Assert.Contains("\"OPENAI_MODEL\": \"gpt-4o\"", record);
    }

    [Fact]
    public void Seed_003_usage_examples_as_commands_register_run_in_parallel_and_switch()
    {
        // register_agent("claude-001", "claude"), register_agent("gpt-001", "openai")
        Ok(_cli.Run("agents", "register", "claude-001", "--adapter", "claude-code"));
        Ok(_cli.Run("agents", "register", "gpt-001", "--adapter", "openai"));
        var list = Ok(_cli.Run("agents", "list"));
        Assert.Matches(@"(?m)^claude-001\s+claude-code\s+Stopped", list.Stdout);
        Assert.Matches(@"(?m)^gpt-001\s+openai\s+Stopped", list.Stdout);

        // execute_task(agent_ids, Task(id="task-001", prompt=…, max_tokens=1000, temperature=0.7), mode="parallel"),
        // on the two agents that answer here.
        var run = Ok(_cli.Run("run", "--agents", "claude,codex", "--parallel", "--task-id", "task-001", "--task", "写一个Python快速排序函数",
            "--max-tokens", "1000", "--temperature", "0.7", "--output-format", "json"));
        using (var results = JsonDocument.Parse(run.Stdout))
        {
            Assert.Equal(2, results.RootElement.GetArrayLength());
            Assert.All(results.RootElement.EnumerateArray(), r =>
            {
                Assert.True(r.GetProperty("success").GetBoolean(), r.ToString());
                Assert.StartsWith("task-001", r.GetProperty("task_id").GetString(), StringComparison.Ordinal);
                Assert.Equal("写一个Python快速排序函数", r.GetProperty("output").GetString());
            });
        }

        // switch_agent_env(agent_id="claude-001", preset="anthropic-claude-sonnet")
        var switched = Ok(_cli.Run("env", "switch", "claude-001", "anthropic-claude-sonnet"));
        Assert.Matches(@"(?m)^claude-001\s+anthropic-claude-sonnet\s", switched.Stdout);
    }

    /// <summary>A seed's command line as written (backslash-newline continuations, double quotes) run through the app host.</summary>
    private CliProcess.Result Seed(string commandLine) => _cli.Run(Words(commandLine)[1..]);

    private static CliProcess.Result Ok(CliProcess.Result result)
    {
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n--- stdout\n{result.Stdout}\n--- stderr\n{result.Stderr}");
        return result;
    }

    /// <summary>The words a POSIX shell makes of the line: continuations joined, double-quoted words kept whole.</summary>
    private static string[] Words(string commandLine)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        var inWord = false;
        foreach (var c in commandLine.Replace("\\\n", " ", StringComparison.Ordinal).Replace("\\\r\n", " ", StringComparison.Ordinal))
        {
            if (c == '"')
            {
                quoted = !quoted;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        Assert.Equal("aiswitch", words[0]);
        return [.. words];
    }

    /// <summary>
    /// Runs the live monitor until its first frame is whole, then presses Ctrl+C (SIGINT, what a terminal sends) and
    /// awaits its exit: the verb runs until Ctrl+C, and this is how a user ends it.
    /// </summary>
    private async Task<CliProcess.Result> MonitorUntilCtrlCAsync(string[] words)
    {
        var start = new ProcessStartInfo(CliBuild.AppHost) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var word in words[1..])
        {
            start.ArgumentList.Add(word);
        }

        start.Environment["AISWITCH_HOME"] = _home.Root;
        using var monitor = Process.Start(start)!;
        try
        {
            var errors = monitor.StandardError.ReadToEndAsync();
            var output = new StringBuilder();
            var buffer = new char[4096];
            while (!output.ToString().Contains("\u001b[J", StringComparison.Ordinal)) // the end of the first frame
            {
                var read = await monitor.StandardOutput.ReadAsync(buffer);
                if (read == 0)
                {
                    Assert.Fail($"The monitor ended before its first frame was whole:\n{output}\n{await errors}");
                }

                output.Append(buffer, 0, read);
            }

            using (var interrupt = Process.Start("kill", ["-INT", monitor.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync();
                Assert.Equal(0, interrupt.ExitCode);
            }

            var rest = monitor.StandardOutput.ReadToEndAsync();
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(1)); // the bound is the point: Ctrl+C must end it
            try
            {
                await monitor.WaitForExitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"The monitor did not end within a minute of Ctrl+C (SIGINT):\n{output}");
            }

            output.Append(await rest);
            return new CliProcess.Result(monitor.ExitCode, output.ToString(), await errors);
        }
        finally
        {
            if (!monitor.HasExited)
            {
                monitor.Kill(entireProcessTree: true);
            }
        }
    }
}
