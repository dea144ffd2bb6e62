using AiSwitch.Core.Tasks;

namespace AiSwitch.Cli.Tests.Tasks;

public sealed class RunVerbsTests
{
    private const string Agents = """
        agents:
          - name: first
            adapter: jsonrpc
            command: /nonexistent/aiswitch-test-agent
          - name: second
            adapter: jsonrpc
            command: /nonexistent/aiswitch-test-agent
        """;

    /// <summary>A home whose agents 'first' and 'second' name a command that does not exist: every task fails the same clear way.</summary>
    private static CliRunner.TempHome HomeWithAgents()
    {
        var home = new CliRunner.TempHome();
        Directory.CreateDirectory(Path.Combine(home.Root, "config"));
        File.WriteAllText(Path.Combine(home.Root, "config", "agents.yaml"), Agents);
        return home;
    }

    [Fact]
    public void An_unknown_agent_stops_the_run_before_anything_starts()
    {
        using var home = new CliRunner.TempHome();

        var (code, output, error) = CliRunner.Run(home, "run", "--agents", "claude,nope", "--parallel", "--task", "hi");

        Assert.Equal(ErrorId.AgentNotFound.Kind().ExitCode(), code);
        Assert.Contains("Agent 'nope' not found", error);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public void Two_modes_at_once_are_refused()
    {
        using var home = new CliRunner.TempHome();

        var (code, _, error) = CliRunner.Run(home, "run", "--agents", "claude", "--parallel", "--chain", "--task", "hi");

        Assert.Equal(ErrorId.InvalidArgument.Kind().ExitCode(), code);
        Assert.Contains("Choose one mode", error);
    }

    [Fact]
    public void Csv_output_has_one_row_per_agent_with_the_task_result_columns_and_a_failed_agent_sets_the_exit_code()
    {
        using var home = HomeWithAgents();

        var (code, output, _) = CliRunner.Run(home, "run", "--agents", "first,second", "--parallel", "--task", "hi", "--output-format", "csv");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("TaskId,Agent,Preset,Model,Status,Success,Output,Error,ErrorId,InputTokens,OutputTokens", lines[0]);
        Assert.Contains(",first,", lines[1] + lines[2]);
        Assert.Contains(",second,", lines[1] + lines[2]);
        Assert.All(lines[1..], l => Assert.Contains(",Failed,False,", l));
        Assert.NotEqual(0, code);
        var tasks = Assert.Single(System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(home.Root, "state", "tasks.json"))).RootElement.GetProperty("data").GetProperty("tasks").EnumerateArray());
        Assert.Equal("Failed", tasks.GetProperty("status").GetString());
    }

    [Fact]
    public void A_missing_agent_command_is_AgentCommandNotFound_in_the_result_and_in_the_exit_code()
    {
        using var home = HomeWithAgents();

        var (code, output, _) = CliRunner.Run(home, "run", "--agents", "first", "--task", "hi", "--output-format", "json");

        using var results = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal("AgentCommandNotFound", results.RootElement[0].GetProperty("error_id").GetString());
        Assert.Equal(ErrorId.AgentCommandNotFound.Kind().ExitCode(), code);
        Assert.Equal(3, code);
    }

    [Fact]
    public void Distribution_stops_sending_tasks_to_agents_whose_command_is_missing_and_agents_list_shows_their_open_circuit()
    {
        using var home = HomeWithAgents();

        var (_, output, _) = CliRunner.Run(home, "run", "--agents", "first,second", "--distribute", "leastbusy", "--throttle-limit", "1",
            "--task", "a", "--task", "b", "--task", "c", "--task", "d", "--output-format", "json");
        var (listed, agents, listError) = CliRunner.Run(home, "agents", "list", "--output-format", "json");

        using var results = System.Text.Json.JsonDocument.Parse(output);
        var errors = results.RootElement.EnumerateArray().Select(r => r.GetProperty("error_id").GetString()).ToList();
        Assert.Equal(["AgentCommandNotFound", "AgentCommandNotFound", "AgentCircuitOpen", "AgentCircuitOpen"], errors);
        Assert.Contains("next probe at", results.RootElement[3].GetProperty("error").GetString());

        Assert.True(listed == 0, listError);
        using var list = System.Text.Json.JsonDocument.Parse(agents);
        var circuits = list.RootElement.EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!, a => a.GetProperty("circuit").GetString());
        Assert.Equal(("open", "open", "closed"), (circuits["first"], circuits["second"], circuits["claude"]));
    }

    [Fact]
    public void Task_start_returns_at_once_and_status_wait_and_result_follow_the_run_in_its_own_process()
    {
        using var home = HomeWithAgents();
        // The run goes to a separate aiswitch process: the CLI's own build, not the copy inside this test's output folder.
        using var cli = new EnvironmentOverride("AISWITCH_CLI", CliBuild.AppHost);

        var (started, id, startError) = CliRunner.Run(home, "task", "start", "--agents", "first,second", "--task", "hi", "--batch-id", "t-bg");
        var (waited, status, waitError) = CliRunner.Run(home, "task", "wait", "t-bg", "--timeout", "120", "--output-format", "csv");
        var (_, results, _) = CliRunner.Run(home, "task", "result", "t-bg", "--output-format", "csv");

        Assert.True(started == 0, $"task start exited {started}: {startError}");
        Assert.Equal("t-bg", id.Trim());
        Assert.True(waited == 0, $"task wait exited {waited}: {waitError} {status}");
        Assert.Contains("t-bg,Failed,100,2,0,2,", status);
        var rows = results.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, rows.Length);
        Assert.All(rows[1..], r => Assert.StartsWith("t-bg.", r));
    }

    [Fact]
    public async Task A_run_whose_process_was_killed_is_failed_with_the_reason_and_wait_says_so()
    {
        using var home = new CliRunner.TempHome();
        Directory.CreateDirectory(Path.Combine(home.Root, "config"));
        // The agent SIGKILLs the aiswitch process running it (its parent): the run dies mid-task, as under `kill -9`.
        File.WriteAllText(Path.Combine(home.Root, "config", "agents.yaml"), """
            agents:
              - name: killer
                adapter: jsonrpc
                command: /bin/sh
                args: ["-c", "kill -9 $PPID"]
            """);
        var start = new System.Diagnostics.ProcessStartInfo(CliBuild.AppHost) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "run", "--agents", "killer", "--task", "hi", "--batch-id", "t-killed" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["AISWITCH_HOME"] = home.Root;
        using var run = System.Diagnostics.Process.Start(start)!;
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(137, run.ExitCode);

        var (waited, shown, waitError) = CliRunner.Run(home, "task", "wait", "t-killed", "--output-format", "csv");
        var (received, _, resultError) = CliRunner.Run(home, "task", "result", "t-killed");

        Assert.Equal(ErrorId.TaskOwnerDied.Kind().ExitCode(), waited);
        Assert.Contains("t-killed,Failed,", shown);
        Assert.Contains($"The process that ran it (pid {run.Id}) died", waitError);
        Assert.Equal(ErrorId.TaskOwnerDied.Kind().ExitCode(), received);
        Assert.Contains($"(pid {run.Id}) died", resultError);
        // Marked on the board itself, so every later reader sees the end and the board can prune it.
        var board = File.ReadAllText(Path.Combine(home.Root, "state", "tasks.json"));
        Assert.Contains("\"status\": \"Failed\"", board);
        Assert.DoesNotContain("\"completed_at\": null", board);
    }

    [Fact]
    public void What_if_prints_the_plan_and_starts_nothing()
    {
        using var home = new CliRunner.TempHome();

        var (code, output, _) = CliRunner.Run(home, "run", "--agents", "claude,codex", "--chain", "--task", "hi", "--batch-id", "t-plan", "--what-if", "--output-format", "csv");

        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("TaskId,Agent,Priority,After,ContextFrom,Prompt,WorkingDirectory", lines[0]);
        Assert.StartsWith("t-plan.claude,claude,5,,,hi,", lines[1]);
        Assert.StartsWith("t-plan.codex,codex,5,,t-plan.claude,hi,", lines[2]);
        Assert.False(File.Exists(Path.Combine(home.Root, "state", "tasks.json")));
    }

    [Fact]
    public void Task_ids_and_dependencies_from_the_command_line_shape_the_plan()
    {
        using var home = new CliRunner.TempHome();

        var (code, output, error) = CliRunner.Run(home, "run", "--agents", "claude",
            "--task-id", "plan", "--task", "write a plan", "--task-id", "code", "--task", "write the code", "--task", "review",
            "--depends-on", "code:plan", "--depends-on", "plan", "--priority", "8", "--what-if", "--output-format", "csv");

        Assert.True(code == 0, error);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[1..];
        Assert.StartsWith("plan,claude,8,,,write a plan,", rows[0]);
        Assert.StartsWith("code,claude,8,plan,,write the code,", rows[1]);
        Assert.Matches("^[^,]+,claude,8,plan,,review,", rows[2]);
    }

    [Theory]
    [InlineData("--depends-on", "x:plan", "names task 'x', which no --task-id gives")]
    [InlineData("--max-tokens", "0", "MaxTokens 0 of task 'plan' is out of range")]
    [InlineData("--temperature", "3", "Temperature 3 of task 'plan' is out of range")]
    [InlineData("--task-id", "extra", "2 --task-id for 1 --task")]
    public void A_bad_task_option_names_the_value_and_runs_nothing(string option, string value, string message)
    {
        using var home = new CliRunner.TempHome();

        var (code, output, error) = CliRunner.Run(home, "run", "--agents", "claude", "--task-id", "plan", "--task", "a", option, value);

        Assert.Equal(ErrorId.InvalidArgument.Kind().ExitCode(), code);
        Assert.Contains(message, error);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public void The_renderer_writes_every_task_result_column_in_order()
    {
        var results = new[]
        {
            new TaskResult { TaskId = "t.a", Agent = "a", Status = TaskState.Completed, Output = "hello, world", InputTokens = 3, OutputTokens = 2 },
            new TaskResult { TaskId = "t.b", Agent = "b", Status = TaskState.Timeout, Error = "late", ErrorId = "TaskTimeout" },
        };
        var output = new StringWriter();

        OutputRenderer.Write(output, results, OutputFormat.Csv);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("TaskId,Agent,Preset,Model,Status,Success,Output,Error,ErrorId,InputTokens,OutputTokens,CacheReadTokens,CacheWriteTokens,ReasoningTokens,CostUsd,CostSource,DurationMs", lines[0]);
        Assert.StartsWith("t.a,a,,,Completed,True,\"hello, world\",,,3,2", lines[1]);
        Assert.StartsWith("t.b,b,,,Timeout,False,,late,TaskTimeout", lines[2]);
    }
}
