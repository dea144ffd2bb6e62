using AiSwitch.Agent.Tests.Support;
using AiSwitch.Protocol;

namespace AiSwitch.Agent.Tests;

/// <summary>An agent that dies in the middle of a call: every call still waiting fails at once with -40004.</summary>
public sealed class AgentCrashTests
{
    [Theory(Timeout = 60_000)]
    [InlineData("exit", 3)]
    [InlineData("failfast", 134)]
    public async Task A_crash_mid_call_fails_every_pending_call_at_once_with_40004(string mode, int exitCode)
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();
        var hung = Enumerable.Range(0, 10).Select(i => coordinator.AssignAsync($"hung-{i}", metadata: new() { ["hang"] = true })).ToList();
        await AgentLifecycleTests.AssertRunningAsync(coordinator, "hung-9");

        var crashing = coordinator.AssignAsync("crash", metadata: new() { ["crash"] = mode });
        var failures = await Task.WhenAll(hung.Append(crashing).Select(call => Assert.ThrowsAsync<AiSwitchException>(() => call.Within())));

        Assert.All(failures, error =>
        {
            Assert.Equal(ErrorId.AgentNotResponding, error.Id);
            Assert.Equal(-40004, error.Code);
            // "At once" is the cause: the crash failed them, not their 60 s call timeout (whose message says "in time").
            Assert.DoesNotContain("in time", error.Message, StringComparison.Ordinal);
        });
        Assert.Equal(exitCode, await coordinator.Agent.Exited.Within());

        var later = await Assert.ThrowsAsync<AiSwitchException>(() => coordinator.Connection.InvokeAsync(AgentProtocol.AgentStatus, EmptyParams.Instance).Within());
        Assert.Equal(ErrorId.AgentNotResponding, later.Id);
    }
}
