using System.Runtime.InteropServices;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;

namespace AiSwitch.Core.Tests.Agents;

/// <summary>agents.yaml <c>limits:</c> — read, kept, enforced on the agent's processes, and named when one ends a task.</summary>
public sealed class ResourceLimitTests : IAsyncLifetime
{
    // Allocates 64 MiB at once and says so; perl reports "Out of memory!" when it cannot.
    private const string Allocate = "agents:\n  - name: hog\n    adapter: fake-task\n    command: /usr/bin/perl\n    args: [\"-e\", \"$n = 64*1024*1024; $x = 'x' x $n; print 'allocated'\"]\n";

    private readonly AgentWorld _world = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private AgentDefinitionStore Store => new(_world.Home, new AdapterCatalog(_world.TaskAdapter));

    [Fact]
    public void Limits_are_read_from_agents_yaml_and_kept_when_the_file_is_rewritten()
    {
        _world.WriteAgentsYaml(Allocate + "    limits: { memory: 512MB, cpu: 50%, cpu_time: 10m }\n");

        Store.Register(new RegisterAgentRequest { Name = "other", Adapter = "fake-task", Command = "env" }); // rewrites the file
        var limits = Store.Get("hog").Limits;

        Assert.NotNull(limits);
        Assert.Equal((512L << 20, 50.0, TimeSpan.FromMinutes(10)), (limits.MemoryBytes, limits.CpuPercent, limits.CpuTime));
        Assert.Equal("memory 512MB, cpu 50%, cpu_time 600s", limits.ToString());
        Assert.Null(Store.Get("other").Limits);
    }

    [Theory]
    [InlineData("memory: 512", "limits.memory is '512'; write a size with a unit")]
    [InlineData("memory: 10KB", "limits.memory is '10KB'")]
    [InlineData("cpu: 0%", "limits.cpu is '0%'")]
    [InlineData("cpu_time: soon", "limits.cpu_time is 'soon'")]
    [InlineData("disk: 1GB", "'disk' is not a known field. Known fields: memory, cpu, cpu_time")]
    public void A_wrong_limit_is_an_error_at_its_line_that_says_what_to_write(string limit, string expected)
    {
        _world.WriteAgentsYaml(Allocate + "    limits:\n      " + limit + "\n");

        var error = Assert.Throws<AiSwitchException>(() => Store.List());

        Assert.Equal(ErrorId.AgentDefinitionInvalid, error.Id);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("at line 7,", error.Message, StringComparison.Ordinal); // the line of the limit
    }

    [Fact]
    public async Task An_agent_that_allocates_beyond_its_memory_limit_fails_its_task_naming_the_limit()
    {
        _world.WriteAgentsYaml(Allocate + "    limits: { memory: 16MB }\n" + Allocate[8..].Replace("name: hog", "name: unlimited", StringComparison.Ordinal));
        var registry = _world.NewRegistry();

        var limited = await registry.RunAsync(new AgentRunRequest { Agent = "hog", Task = new() { Id = "t1", Prompt = "eat" } });
        var unlimited = await registry.RunAsync(new AgentRunRequest { Agent = "unlimited", Task = new() { Id = "t2", Prompt = "eat" } });

        // The same program allocates fine without the limit: the limit, not the program, ended the first task.
        Assert.True(unlimited.Success, unlimited.Error);
        Assert.Equal("allocated", unlimited.Text);
        Assert.False(limited.Success);
        Assert.Equal(ErrorId.AgentCrashed, limited.ErrorId);
        Assert.False(limited.Retryable);
        Assert.StartsWith("Agent 'hog' hit its memory limit (limits.memory 16MB, enforced by RLIMIT_DATA)", limited.Error, StringComparison.Ordinal);
        Assert.Contains("Raise limits.memory in config/agents.yaml", limited.Error, StringComparison.Ordinal);
        var agent = registry.Get("hog").Single();
        Assert.StartsWith("Agent 'hog' hit its memory limit", agent.LastError, StringComparison.Ordinal);
        Assert.Null(registry.Get("unlimited").Single().LastError);
    }

    [Fact]
    public async Task A_long_lived_agent_ended_by_its_memory_limit_is_in_error_naming_the_limit()
    {
        // It comes up within the limit, then allocates 64 MiB for its first task.
        const string Daemon = "$| = 1; print \"ready\\n\"; while (<STDIN>) { $n = 64*1024*1024; $x = 'x' x $n; print \"done\\n\"; }";
        _world.WriteAgentsYaml($"agents:\n  - name: daemon\n    adapter: fake-daemon\n    command: /usr/bin/perl\n    args: [\"-e\", {System.Text.Json.JsonSerializer.Serialize(Daemon)}]\n    restart_policy: never\n    limits: {{ memory: 16MB }}\n");
        var registry = _world.NewRegistry();
        var statuses = new StatusRecorder(registry);
        await registry.StartAsync(new StartAgentRequest { Name = "daemon" });
        var error = statuses.Next(e => e.Agent == "daemon" && e.Current == AgentStatus.Error);

        var result = await registry.RunAsync(new AgentRunRequest { Agent = "daemon", Task = new() { Id = "t1", Prompt = "eat" } });
        var failed = await error.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.False(result.Success);
        Assert.Contains("Agent 'daemon' hit its memory limit (limits.memory 16MB, enforced by RLIMIT_DATA)", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("restart_policy is 'never'", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("hit its memory limit", registry.Get("daemon").Single().LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_that_uses_up_its_cpu_time_is_stopped_and_its_task_names_the_limit()
    {
        _world.WriteAgentsYaml("agents:\n  - name: spinner\n    adapter: fake-task\n    command: /bin/sh\n    args: [\"-c\", \"while :; do :; done\"]\n    limits: { cpu_time: 1s }\n");
        var registry = _world.NewRegistry();

        var result = await registry.RunAsync(new AgentRunRequest { Agent = "spinner", Task = new() { Id = "t1", Prompt = "spin" } });

        Assert.False(result.Success);
        Assert.Equal(128 + 24, result.ExitCode); // SIGXCPU: the soft limit, before the hard one's SIGKILL
        Assert.StartsWith("Agent 'spinner' hit its CPU time limit (limits.cpu_time 1s, enforced by RLIMIT_CPU)", result.Error, StringComparison.Ordinal);
        Assert.StartsWith("Agent 'spinner' hit its CPU time limit", registry.Get("spinner").Single().LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cpu_share_that_this_system_cannot_enforce_refuses_to_start_rather_than_run_unlimited()
    {
        _world.WriteAgentsYaml("agents:\n  - name: shared\n    adapter: fake-task\n    command: /bin/echo\n    limits: { cpu: 50% }\n");
        var registry = _world.NewRegistry();

        var error = await Assert.ThrowsAsync<AiSwitchException>(() => registry.RunAsync(new AgentRunRequest { Agent = "shared", Task = new() { Id = "t1", Prompt = "hi" } }));

        Assert.Equal(ErrorId.AgentInitializationFailed, error.Id);
        Assert.Contains("limits.cpu 50% is a CPU share", error.Message, StringComparison.Ordinal);
        Assert.Contains("limits.cpu_time", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/usr/bin/prlimit")]
    [InlineData(null)] // no prlimit: the shell's ulimit
    public async Task Both_unix_launchers_set_the_limits_the_cause_is_read_from(string? prlimit)
    {
        Assert.True(prlimit is null || File.Exists(prlimit), $"{prlimit} is missing: install util-linux");
        var memory = new AgentLimits { MemoryBytes = 16L << 20 };
        var cpu = new AgentLimits { CpuTime = TimeSpan.FromSeconds(1) };

        var (allocated, allocateError) = await RunAsync(ResourceLimits.Wrap("a", memory, "/usr/bin/perl", ["-e", "$x = 'x' x (64*1024*1024)"], prlimit));
        var (spun, _) = await RunAsync(ResourceLimits.Wrap("a", cpu, "/bin/sh", ["-c", "while :; do :; done"], prlimit));

        Assert.StartsWith("Agent 'a' hit its memory limit", ResourceLimits.Cause("a", memory, allocated, allocateError));
        Assert.Equal(128 + 24, spun);
        Assert.StartsWith("Agent 'a' hit its CPU time limit", ResourceLimits.Cause("a", cpu, spun, string.Empty));
        Assert.Null(ResourceLimits.Cause("a", memory, 1, "no such file")); // a plain failure is not blamed on the limit
    }

    private static async Task<(int ExitCode, string Stderr)> RunAsync((string FileName, IReadOnlyList<string> Arguments) command)
    {
        var start = new System.Diagnostics.ProcessStartInfo(command.FileName) { RedirectStandardError = true };
        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, stderr);
    }

    [Fact]
    public void The_windows_job_carries_the_limits_in_the_layout_windows_reads()
    {
        var none = WindowsJobLimits.Extended(null);
        var limited = WindowsJobLimits.Extended(new AgentLimits { MemoryBytes = 512L << 20, CpuTime = TimeSpan.FromMinutes(10) });

        Assert.Equal(WindowsJobLimits.JobObjectLimitKillOnJobClose, none.BasicLimitInformation.LimitFlags);
        Assert.Equal(
            WindowsJobLimits.JobObjectLimitKillOnJobClose | WindowsJobLimits.JobObjectLimitJobMemory | WindowsJobLimits.JobObjectLimitJobTime,
            limited.BasicLimitInformation.LimitFlags);
        Assert.Equal(512UL << 20, (ulong)limited.JobMemoryLimit);
        Assert.Equal(TimeSpan.FromMinutes(10).Ticks, limited.BasicLimitInformation.PerJobUserTimeLimit);
        // JOBOBJECT_EXTENDED_LIMIT_INFORMATION is 144 bytes on 64-bit Windows, 112 on 32-bit.
        Assert.Equal(IntPtr.Size == 8 ? 144 : 112, Marshal.SizeOf<WindowsJobLimits.ExtendedLimitInformation>());
        // 50 % of one core on a 4-core machine is 12.5 % of the machine: 1250 hundredths of a percent.
        Assert.Equal((1250u, 10_000u, 1u), (WindowsJobLimits.CpuRate(50, 4), WindowsJobLimits.CpuRate(800, 4), WindowsJobLimits.CpuRate(0.001, 64)));
    }
}
