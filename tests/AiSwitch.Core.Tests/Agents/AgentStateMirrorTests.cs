using AiSwitch.Core.Agents;
using AiSwitch.Core.Locking;
using AiSwitch.Protocol;
using AiSwitch.Core.Tests.Support;

namespace AiSwitch.Core.Tests.Agents;

/// <summary>The background writer of state/agents.json: coalesced writes that lose no agent's latest entry.</summary>
public sealed class AgentStateMirrorTests : IDisposable
{
    private readonly TempHome _home = new();
    private readonly AgentStateStore _mine;
    private readonly AgentStateStore _other;

    public AgentStateMirrorTests()
    {
        _home.Home.EnsureCreated();
        _mine = new AgentStateStore(_home.Home, "mine");
        _other = new AgentStateStore(_home.Home, "other");
    }

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Every_agents_last_change_is_on_disk_once_flushed()
    {
        var mirror = new AgentStateMirror(_mine);

        // 40 agents, each going Starting → Idle → Busy → Idle from many threads at once.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
        {
            foreach (var (status, done) in new[] { (AgentStatus.Starting, 0L), (AgentStatus.Idle, 0L), (AgentStatus.Busy, 0L), (AgentStatus.Idle, 1L) })
            {
                mirror.Publish($"agent-{i}", Entry($"agent-{i}", status, done));
            }
        })));
        _ = mirror.Publish("agent-0", null);
        await mirror.Flushed;

        var seen = _other.OtherSessions();
        Assert.Empty(seen["agent-0"]);
        Assert.All(Enumerable.Range(1, 39), i => Assert.Equal((AgentStatus.Idle, 1L), seen[$"agent-{i}"].Select(e => (e.Status, e.TasksDone)).Single()));
    }

    [Fact]
    public async Task A_write_that_failed_is_carried_by_the_next_change()
    {
        var mirror = new AgentStateMirror(_mine);
        File.WriteAllText(_mine.Path, "{ not json");

        // Refused: the writer never replaces a corrupt file. The change waits instead of vanishing.
        await mirror.Publish("kept", Entry("kept", AgentStatus.Idle, 3));
        File.Delete(_mine.Path);
        await mirror.Publish("later", Entry("later", AgentStatus.Busy, 0));

        var seen = _other.OtherSessions();
        Assert.Equal(3L, seen["kept"].Single().TasksDone);
        Assert.Equal(AgentStatus.Busy, seen["later"].Single().Status);
    }

    private static AgentStateEntry Entry(string name, AgentStatus status, long done) => new()
    {
        Name = name,
        SessionId = "mine",
        OwnerPid = Environment.ProcessId,
        OwnerStartToken = ProcessIdentity.CurrentStartToken,
        Status = status,
        TasksDone = done,
        UpdatedAt = DateTimeOffset.UtcNow,
    };
}
