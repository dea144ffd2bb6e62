using System.Diagnostics;
using System.Text.Json;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Tests.Support;
using static AiSwitch.Core.Tests.Agents.AgentTestSupport;

namespace AiSwitch.Core.Tests.Agents;

public sealed class ProcessSupervisorTests : IDisposable
{
    private readonly TempHome _home = new();
    private readonly ProcessSupervisor _supervisor;

    public ProcessSupervisorTests()
    {
        _supervisor = new ProcessSupervisor(_home.Home, "test-session");
    }

    private string Scripts => Path.Combine(_home.Root, "scripts");

    [Fact]
    public async Task KillTree_leaves_no_process_of_the_tree()
    {
        var process = _supervisor.Start(Request("tree", TreeScript(Scripts)));
        await ReadUntilAsync(process.Stdout, "ready");
        var tree = ProcessTree.WithDescendants(process.Pid);
        Assert.True(tree.Count >= 4, $"expected the script, two children and a grandchild, found {tree.Count}");

        process.KillTree();
        await process.Exited.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(await ProcessTree.WaitAllGoneAsync(tree, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_tree_killed_the_moment_it_starts_goes_whole()
    {
        // Cancelling right after launch used to find no group yet (setsid makes it after its exec) and kill nothing,
        // leaving the script's children holding stdout for five minutes.
        var script = Script(Scripts, "forks.sh", "sleep 300 &\nsh -c 'sleep 300' &\necho started\nwait");
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await using var process = _supervisor.Start(Request("early", script));
            Assert.Equal(process.Pid, UnixProcessGroup.GroupOf(process.Pid) ?? process.Pid);

            process.KillTree();

            var stdout = new StreamReader(process.Stdout).ReadToEndAsync();
            await stdout.WaitAsync(TimeSpan.FromSeconds(10));
            await process.Exited.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task A_leader_that_exits_takes_the_rest_of_its_group_with_it()
    {
        var script = Script(Scripts, "leaves-child.sh", "sleep 300 &\necho child $!\nread line");
        var process = _supervisor.Start(Request("leaver", script));
        var reader = new StreamReader(process.Stdout);
        var child = int.Parse((await reader.ReadLineAsync())!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

        // stdin is closed (not redirected), so 'read' returns and the leader exits, leaving its sleeping child.
        await process.Exited.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(await ProcessTree.WaitAllGoneAsync([child], TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Stopping_an_agent_takes_the_descendants_that_left_its_group_with_setsid()
    {
        // setsid puts the sleep in a session and group of its own, out of reach of a kill of the agent's group; it says
        // its pid only once there.
        var script = Script(Scripts, "setsid-child.sh", "setsid sh -c 'echo child $$; exec sleep 1000' &\nwait");
        var process = _supervisor.Start(Request("setsid", script));
        var reader = new StreamReader(process.Stdout);
        var child = int.Parse((await reader.ReadLineAsync())!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(UnixProcessGroup.GroupOf(process.Pid), UnixProcessGroup.GroupOf(child));

        await process.KillTreeAsync(TimeSpan.FromSeconds(5));

        // Gone when the stop returns: the stop waits for the tree, so no wait is needed here.
        Assert.True(ProcessTree.IsGone(child), $"the setsid child {child} outlived the stop");
    }

    [Fact]
    public async Task A_leader_that_exits_takes_the_setsid_descendants_of_its_group_with_it()
    {
        // The leader exits when told; the subshell it leaves in its group has a child that called setsid.
        var script = Script(Scripts, "leaves-setsid.sh", "(setsid sh -c 'echo child $$; exec sleep 1000' & wait) &\nread line");
        var process = _supervisor.Start(Request("leaver-setsid", script) with { RedirectStdin = true });
        var reader = new StreamReader(process.Stdout);
        var child = int.Parse((await reader.ReadLineAsync())!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        await process.Stdin.WriteAsync("exit\n"u8.ToArray());
        await process.Stdin.FlushAsync();

        await process.Exited.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(ProcessTree.IsGone(child), $"the setsid child {child} outlived its agent");
    }

    [Fact]
    public async Task The_child_gets_exactly_the_environment_given()
    {
        Environment.SetEnvironmentVariable("AISWITCH_TEST_PARENT_ONLY", "parent-secret");
        var request = Request("env", "/usr/bin/env") with
        {
            Environment = new Dictionary<string, string> { ["PATH"] = ParentPath, ["ONLY_THIS"] = "yes" },
        };
        await using var process = _supervisor.Start(request);
        var output = await new StreamReader(process.Stdout).ReadToEndAsync();
        await process.Exited;

        var names = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..l.IndexOf('=')]).Order().ToArray();
        Assert.Equal(["ONLY_THIS", "PATH"], names);
        Assert.DoesNotContain("parent-secret", output);
    }

    [Fact]
    public async Task A_pid_file_names_the_process_while_it_runs_and_goes_with_it()
    {
        var script = Script(Scripts, "echo-line.sh", "echo ready\nread line\necho \"got $line\"");
        var process = _supervisor.Start(Request("pidfile", script) with { RedirectStdin = true });
        await ReadUntilAsync(process.Stdout, "ready");
        var file = Assert.Single(Directory.GetFiles(ProcessSupervisor.PidDirectory(_home.Home)));
        Assert.Equal($"test-session-pidfile-{process.Pid}.json", Path.GetFileName(file));
        using (var json = JsonDocument.Parse(File.ReadAllBytes(file)))
        {
            Assert.Equal(process.Pid, json.RootElement.GetProperty("pid").GetInt32());
            Assert.Equal(Environment.ProcessId, json.RootElement.GetProperty("owner_pid").GetInt32());
            Assert.Equal(process.Pid, json.RootElement.GetProperty("process_group").GetInt32());
        }

        await process.Stdin.WriteAsync("hello\n"u8.ToArray());
        process.Stdin.Close();
        Assert.Equal("got hello", await new StreamReader(process.Stdout).ReadLineAsync());
        Assert.Equal(0, await process.Exited.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(Directory.GetFiles(ProcessSupervisor.PidDirectory(_home.Home)));
    }

    [Fact]
    public async Task Stderr_goes_to_the_agents_log_and_its_tail_is_kept()
    {
        var script = Script(Scripts, "complain.sh", "echo 'first problem' >&2\necho 'second problem' >&2\nexit 3");
        await using var process = _supervisor.Start(Request("complainer", script));

        Assert.Equal(3, await process.Exited.WaitAsync(TimeSpan.FromSeconds(10)));
        var log = await File.ReadAllTextAsync(RotatingLog.PathFor(_home.Home, "complainer"));
        Assert.Contains($"[pid {process.Pid}] first problem", log);
        Assert.Contains($"[pid {process.Pid}] second problem", log);
        Assert.Equal("first problem\nsecond problem", process.RecentStderr);
    }

    [Fact]
    public void A_missing_command_fails_naming_the_agent_and_the_fix()
    {
        var ex = Assert.Throws<AiSwitchException>(() => _supervisor.Start(Request("ghost", "no-such-agent-cli") with { Adapter = "codex" }));

        Assert.Equal(ErrorId.AgentCommandNotFound, ex.Id);
        Assert.Contains("Agent 'ghost'", ex.Message);
        Assert.Contains("'no-such-agent-cli' was not found on PATH", ex.Message);
        Assert.Contains("Register-AiAgent -Name ghost -Adapter codex -Command", ex.Message);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_file_without_execute_permission_fails_naming_the_agent_and_chmod()
    {
        var path = Script(Scripts, "plain.sh", "echo hi");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var ex = Assert.Throws<AiSwitchException>(() => _supervisor.Start(Request("plain", path)));

        Assert.Equal(ErrorId.AgentInitializationFailed, ex.Id);
        Assert.Contains($"Agent 'plain' cannot start: '{path}' is not executable", ex.Message);
        Assert.Contains("chmod +x", ex.Message);
    }

    [Fact]
    public async Task Disposing_the_supervisor_kills_every_tree_it_started()
    {
        var script = TreeScript(Scripts);
        var first = _supervisor.Start(Request("one", script));
        var second = _supervisor.Start(Request("two", script));
        await ReadUntilAsync(first.Stdout, "ready");
        await ReadUntilAsync(second.Stdout, "ready");
        var pids = ProcessTree.WithDescendants(first.Pid).Concat(ProcessTree.WithDescendants(second.Pid)).ToList();

        await _supervisor.DisposeAsync();

        Assert.Empty(await ProcessTree.WaitAllGoneAsync(pids, TimeSpan.FromSeconds(5)));
        Assert.Empty(Directory.GetFiles(ProcessSupervisor.PidDirectory(_home.Home)));
    }

    [Fact]
    public async Task The_sweep_kills_the_orphaned_group_of_a_session_that_was_SIGKILLed()
    {
        using var owner = TestHostProcess.Start("agent-spawn", _home.Root, "orphan", TreeScript(Scripts));
        var spawned = await owner.StandardOutput.ReadLineAsync();
        var agentPid = int.Parse(spawned!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        await WaitForTreeAsync(agentPid, 4);
        var tree = ProcessTree.WithDescendants(agentPid);

        owner.Kill(); // SIGKILL: the owner cannot clean up
        await owner.WaitForExitAsync();
        Assert.DoesNotContain(tree, ProcessTree.IsGone); // the orphans live on

        var swept = ProcessSupervisor.SweepOrphans(_home.Home);

        var orphan = Assert.Single(swept);
        Assert.Equal("orphan", orphan.Agent);
        Assert.Equal(agentPid, orphan.Pid);
        Assert.Empty(await ProcessTree.WaitAllGoneAsync(tree, TimeSpan.FromSeconds(5)));
        Assert.Empty(Directory.GetFiles(ProcessSupervisor.PidDirectory(_home.Home)));
    }

    [Fact]
    public async Task The_sweep_leaves_the_processes_of_a_live_session_alone()
    {
        var script = Script(Scripts, "wait.sh", "echo ready\nread line");
        await using var process = _supervisor.Start(Request("alive", script) with { RedirectStdin = true });
        await ReadUntilAsync(process.Stdout, "ready");

        Assert.Empty(ProcessSupervisor.SweepOrphans(_home.Home));
        Assert.False(process.HasExited);
        Assert.Single(Directory.GetFiles(ProcessSupervisor.PidDirectory(_home.Home)));
    }

    // The script's children start after it prints its pid line; /proc offers no notification, so poll briefly.
    private static async Task WaitForTreeAsync(int root, int count)
    {
        var watch = Stopwatch.StartNew();
        while (ProcessTree.WithDescendants(root).Count < count && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        _supervisor.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _home.Dispose();
    }
}
