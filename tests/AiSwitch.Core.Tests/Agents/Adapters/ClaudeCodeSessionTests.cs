using System.Diagnostics;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Tests.Agents.Adapters;

/// <summary>The long-lived Claude Code mode against shell scripts that play a stuck or a wrong agent (the real CLI runs in tests/e2e).</summary>
public sealed class ClaudeCodeSessionTests : SupervisedFolder
{
    /// <summary>Answers initialize, then hangs on the first user line and never answers an interrupt.</summary>
    private const string StuckAgent = """
        while IFS= read -r line; do
          case "$line" in
            *'"subtype":"initialize"'*)
              id=$(printf '%s' "$line" | sed 's/.*"request_id":"\([^"]*\)".*/\1/')
              echo "{\"type\":\"control_response\",\"response\":{\"subtype\":\"success\",\"request_id\":\"$id\"}}";;
            *'"type":"user"'*)
              echo '{"type":"system","subtype":"init","session_id":"s1","model":"m"}'
              sleep 300;;
          esac
        done
        """;

    [Fact]
    public async Task ATurnThatIgnoresTheInterruptIsKilledWithItsTreeAboutASecondAfterCancellation()
    {
        var adapter = new ClaudeCodeSessionAdapter();
        var launch = Launch("stuck", AgentTestSupport.Script(Root, "stuck-claude", StuckAgent));
        await using var live = await adapter.StartAsync(launch, CancellationToken.None);
        var pid = live.Pid!.Value;
        using var cancel = new CancellationTokenSource();
        var observer = new RecordingObserver();
        var run = live.RunAsync(AgentInvocation.Create(launch, new AgentTask { Id = "t", Prompt = "hang", Timeout = 60 }), observer, cancel.Token);
        await WaitUntilAsync(() => ProcessTree.WithDescendants(pid).Count >= 2); // the script is in its sleep
        var tree = ProcessTree.WithDescendants(pid);

        var clock = Stopwatch.StartNew();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        // Order and cause, not speed: the kill came only after the 1 s interrupt grace (a lower bound holds under any
        // load), and the call ended by the cancellation, not by the task's 60 s timeout (which returns a TaskTimeout result).
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"the tree was killed {clock.ElapsedMilliseconds} ms after the interrupt, before its grace");
        Assert.All(tree, p => Assert.True(ProcessTree.IsGone(p), $"pid {p} outlived the unanswered interrupt"));
        var exit = await live.Exited.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(exit.Requested);
        Assert.Contains("Claude Code exited", exit.Reason, StringComparison.Ordinal);
        Assert.Contains("system", observer.Events);
    }

    [Fact]
    public async Task ACommandThatDoesNotSpeakTheProtocolFailsToStartNamingTheAgent()
    {
        var launch = Launch("wrong", AgentTestSupport.Script(Root, "wrong-claude", "echo 'this is not claude'; exit 4"));

        var error = await Assert.ThrowsAsync<AiSwitchException>(() => new ClaudeCodeSessionAdapter().StartAsync(launch, CancellationToken.None));

        Assert.Equal(ErrorId.AgentInitializationFailed, error.Id);
        Assert.Contains("Agent 'wrong' (Claude Code) exited with code 4 without its answer to the initialize control request: it printed 'this is not claude' instead", error.Message, StringComparison.Ordinal);
    }

    private AgentLaunch Launch(string agent, string command) => new()
    {
        Agent = new AgentDefinition { Name = agent, Adapter = ClaudeCodeSessionAdapter.AdapterName, Command = command },
        Environment = new Dictionary<string, string> { ["PATH"] = AgentTestSupport.ParentPath },
        WorkingDirectory = Root,
        Home = Home,
        Supervisor = Supervisor,
    };
}
