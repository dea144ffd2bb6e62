using AiSwitch.Agent.Tests.Support;
using AiSwitch.Protocol;

namespace AiSwitch.Agent.Tests;

/// <summary>env.switch, env.snapshot, env.rollback and env.list_snapshots: what tasks see before, during and after.</summary>
public sealed class AgentEnvironmentTests
{
    private static SwitchEnvParams Switch(string preset, string baseUrl, bool snapshot = false) => new()
    {
        Preset = preset,
        Variables = new() { ["ANTHROPIC_BASE_URL"] = baseUrl, ["MODEL"] = preset },
        CreateSnapshot = snapshot,
    };

    [Fact(Timeout = 60_000)]
    public async Task A_switch_is_seen_by_the_next_task_but_not_by_one_already_running()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync("--echo-env", "ANTHROPIC_BASE_URL");
        await coordinator.Connection.InvokeAsync(AgentProtocol.EnvSwitch, Switch("first", "http://first")).Within();

        // The running task started under "first" and then waits for a coordination lock that this side grants only
        // after the switch and the next task: a barrier, not a timing guess.
        var grant = coordinator.HoldLocks();
        var running = coordinator.AssignAsync("running", metadata: new() { ["lock"] = "gate" });
        await coordinator.Locks.NextAsync();
        var switched = await coordinator.Connection.InvokeAsync(AgentProtocol.EnvSwitch, Switch("second", "http://second")).Within();
        var next = await coordinator.RunAsync("next");
        grant.SetResult();
        await running.Within();
        var old = await coordinator.ResultAsync("running");

        Assert.Equal("first", switched.PreviousPreset);
        Assert.Equal("second", switched.CurrentPreset);
        Assert.Equal("ANTHROPIC_BASE_URL=http://second", next.Result);
        Assert.Equal("ANTHROPIC_BASE_URL=http://first", old.Result);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_switch_replaces_the_whole_environment()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync("--echo-env", "ONLY_IN_FIRST");
        await coordinator.Connection.InvokeAsync(AgentProtocol.EnvSwitch, new SwitchEnvParams { Preset = "first", Variables = new() { ["ONLY_IN_FIRST"] = "x" } }).Within();
        Assert.Equal("ONLY_IN_FIRST=x", (await coordinator.RunAsync("a")).Result);

        await coordinator.Connection.InvokeAsync(AgentProtocol.EnvSwitch, new SwitchEnvParams { Preset = "second", Variables = new() { ["OTHER"] = "y" } }).Within();

        Assert.Equal("ONLY_IN_FIRST=", (await coordinator.RunAsync("b")).Result);
    }

    [Fact(Timeout = 60_000)]
    public async Task Snapshots_are_listed_and_a_rollback_restores_one_for_the_next_task()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync("--echo-env", "ANTHROPIC_BASE_URL");
        await coordinator.Connection.InvokeAsync(AgentProtocol.EnvSwitch, Switch("first", "http://first")).Within();
        var snapshot = await coordinator.Connection.InvokeAsync(AgentProtocol.EnvSnapshot, new CreateSnapshotParams { SnapshotId = "before-switch", Description = "backup" }).Within();
        var switched = await coordinator.Connection.InvokeAsync(AgentProtocol.EnvSwitch, Switch("second", "http://second", snapshot: true)).Within();

        var listed = await coordinator.Connection.InvokeAsync(AgentProtocol.EnvListSnapshots, EmptyParams.Instance).Within();
        var rolledBack = await coordinator.Connection.InvokeAsync(AgentProtocol.EnvRollback, new RollbackParams { SnapshotId = "before-switch" }).Within();
        var afterRollback = await coordinator.RunAsync("after");

        Assert.Equal("before-switch", snapshot.SnapshotId);
        Assert.Equal("first", snapshot.PresetName);
        Assert.Equal("http://first", snapshot.Variables["ANTHROPIC_BASE_URL"]);
        Assert.Equal("agent-under-test", snapshot.AgentId);
        Assert.Matches("^[0-9a-f]{64}$", snapshot.Checksum);
        Assert.Equal("backup", snapshot.Description);
        Assert.NotNull(switched.SnapshotId);
        Assert.Equal(2, listed.TotalCount);
        Assert.Equal(["before-switch", switched.SnapshotId], listed.Snapshots.Select(s => s.SnapshotId));
        Assert.Equal(snapshot.Checksum, listed.Snapshots[1].Checksum);
        Assert.Equal("before-switch", rolledBack.Snapshot.SnapshotId);
        Assert.Equal("ANTHROPIC_BASE_URL=http://first", afterRollback.Result);
    }

    [Fact(Timeout = 60_000)]
    public async Task Unknown_and_duplicate_snapshots_and_bad_variable_names_fail_with_their_codes()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();
        await coordinator.Connection.InvokeAsync(AgentProtocol.EnvSnapshot, new CreateSnapshotParams { SnapshotId = "s1" }).Within();

        var unknown = await Assert.ThrowsAsync<AiSwitchException>(() => coordinator.Connection.InvokeAsync(AgentProtocol.EnvRollback, new RollbackParams { SnapshotId = "nope" }).Within());
        var duplicate = await Assert.ThrowsAsync<AiSwitchException>(() => coordinator.Connection.InvokeAsync(AgentProtocol.EnvSnapshot, new CreateSnapshotParams { SnapshotId = "s1" }).Within());
        var badName = await Assert.ThrowsAsync<AiSwitchException>(() => coordinator.Connection.InvokeAsync(
            AgentProtocol.EnvSwitch, new SwitchEnvParams { Preset = "p", Variables = new() { ["A=B"] = "1" } }).Within());

        Assert.Equal((ErrorId.SnapshotNotFound, -40203), (unknown.Id, unknown.Code));
        Assert.Contains("Known snapshots: s1", unknown.Message);
        Assert.Equal(ErrorId.SnapshotAlreadyExists, duplicate.Id);
        Assert.Equal(ErrorId.InvalidVariableName, badName.Id);
    }
}
