using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Tests.Agents.Adapters;

/// <summary>The CLI adapters driving small shell scripts through the real process supervisor: failures, timeouts, cancellation.</summary>
public sealed class CliAgentAdapterTests : SupervisedFolder
{
    [Fact]
    public async Task ACommandThatPrintsGarbageIsAProtocolErrorNamingTheAgentNotAHang()
    {
        var script = AgentTestSupport.Script(Root, "fake-claude", "echo 'Usage: something else entirely'; exit 2");

        var result = await new ClaudeCodeAdapter().RunAsync(Invocation("claude-x", script, timeoutSeconds: 60), NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Equal(ErrorId.AgentProtocolViolation, result.ErrorId);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Agent 'claude-x' (Claude Code) exited with code 2 without its stream-json events", result.Error, StringComparison.Ordinal);
        Assert.Contains("'Usage: something else entirely'", result.Error, StringComparison.Ordinal);
        Assert.Contains("Register-AiAgent -Name claude-x -Command", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAgentThatPrintsGarbageForeverIsStoppedAfterFiftyLines()
    {
        var script = AgentTestSupport.Script(Root, "spew", "while :; do echo garbage; done");

        var result = await new CodexAdapter().RunAsync(Invocation("codex-x", script, timeoutSeconds: 60), NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.Equal(ErrorId.AgentProtocolViolation, result.ErrorId);
        Assert.Contains("without its JSON events (codex exec --json): it printed 'garbage' instead", result.Error, StringComparison.Ordinal);
        Assert.True(ProcessTree.IsGone(result.Pid!.Value));
    }

    [Fact]
    public async Task AnAgentThatDiesBeforeItsFinalEventHasCrashedAndSaysSo()
    {
        var script = AgentTestSupport.Script(Root, "half", """echo '{"type":"init","session_id":"s","model":"m"}'; echo boom >&2; exit 3""");

        var result = await new GeminiAdapter().RunAsync(Invocation("gemini-x", script, timeoutSeconds: 60), NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.Equal(ErrorId.AgentCrashed, result.ErrorId);
        Assert.Contains("(Gemini CLI) exited with code 3 before its final 'result' event", result.Error, StringComparison.Ordinal);
        Assert.Equal("s", result.AgentSessionId);
    }

    [Fact]
    public async Task TheTimeoutKillsTheWholeTreeAndReportsTaskTimeout()
    {
        var script = AgentTestSupport.TreeScript(Root);
        var observer = new RecordingObserver();

        var run = new ClaudeCodeAdapter().RunAsync(Invocation("claude-slow", script, timeoutSeconds: 2), observer, CancellationToken.None);
        var pid = await observer.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitUntilAsync(() => ProcessTree.WithDescendants(pid).Count >= 3);
        var tree = ProcessTree.WithDescendants(pid);

        var result = await run;

        Assert.Equal(ErrorId.TaskTimeout, result.ErrorId);
        Assert.Contains("did not finish within 2 s", result.Error, StringComparison.Ordinal);
        Assert.True(tree.Count >= 3, $"the tree had {tree.Count} processes");
        Assert.All(tree, p => Assert.True(ProcessTree.IsGone(p), $"pid {p} outlived the timeout"));
    }

    [Fact]
    public async Task CancellationKillsTheWholeTreeWithinASecond()
    {
        var script = AgentTestSupport.TreeScript(Root);
        var observer = new RecordingObserver();
        using var cancel = new CancellationTokenSource();
        var run = new GeminiAdapter().RunAsync(Invocation("gemini-slow", script, timeoutSeconds: 60), observer, cancel.Token);
        var pid = await observer.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitUntilAsync(() => ProcessTree.WithDescendants(pid).Count >= 3);
        var tree = ProcessTree.WithDescendants(pid);

        cancel.Cancel();

        // The cause, not the speed: the call ends by the cancellation (the task's 60 s timeout would have returned a
        // TaskTimeout result instead), and the whole tree is gone when it returns.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.All(tree, p => Assert.True(ProcessTree.IsGone(p), $"pid {p} outlived the cancellation"));
    }

    [Fact]
    public async Task AMegabytePromptReachesTheAgentWholeOnStdin()
    {
        var script = AgentTestSupport.Script(Root, "count",
            """n=$(wc -c | tr -d ' '); echo "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"$n\"}" """);
        var invocation = Invocation("claude-big", script, 60);
        invocation = new AgentInvocation
        {
            Agent = invocation.Agent, Environment = invocation.Environment, WorkingDirectory = invocation.WorkingDirectory,
            Home = invocation.Home, Supervisor = invocation.Supervisor,
            Task = new AgentTask { Id = "big", Prompt = "-" + new string('a', 1_000_000), Timeout = 60 },
        };

        var result = await new ClaudeCodeAdapter().RunAsync(invocation, NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.True(result.Success, result.Error);
        Assert.Equal("1000001", result.Text);
    }

    [Fact]
    public async Task CheckNamesTheAgentAndHowToInstallAMissingCommand()
    {
        var agent = new AgentDefinition { Name = "codex-missing", Adapter = AdapterNames.Codex, Command = "codex-does-not-exist-here" };

        var readiness = await new CodexAdapter().CheckAsync(agent, CancellationToken.None);

        Assert.False(readiness.IsReady);
        Assert.Equal(ErrorId.AgentCommandNotFound, readiness.Error!.Id);
        Assert.Contains("Agent 'codex-missing'", readiness.Error.Message, StringComparison.Ordinal);
        Assert.Contains("npm install -g @openai/codex", readiness.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckRefusesACommandThatIsNotExecutable()
    {
        var path = Path.Combine(Root, "not-exec");
        await File.WriteAllTextAsync(path, "#!/bin/sh\n");

        var readiness = await new GeminiAdapter().CheckAsync(
            new AgentDefinition { Name = "gem-noexec", Adapter = AdapterNames.Gemini, Command = path }, CancellationToken.None);

        Assert.Contains("is not executable", readiness.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAgentGetsTheInvocationEnvironmentWithQuietSettingsAndAPrivateConfigFolderOnly()
    {
        var script = AgentTestSupport.Script(Root, "envdump",
            """env | sort > "$DUMP"; echo '{"type":"thread.started","thread_id":"t1"}'; echo '{"type":"turn.completed","usage":{"input_tokens":3}}'""");
        var dump = Path.Combine(Root, "env.txt");
        var invocation = Invocation("codex-env", script, 60, new Dictionary<string, string>
        {
            ["PATH"] = AgentTestSupport.ParentPath,
            ["DUMP"] = dump,
            ["OPENAI_API_KEY"] = "sk-preset",
        });

        var result = await new CodexAdapter().RunAsync(invocation, NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.True(result.Success, result.Error);
        var names = File.ReadAllLines(dump).Select(l => l.Split('=')[0]).Where(n => n is not ("PWD" or "SHLVL" or "_")).ToHashSet();
        Assert.Equal(["CODEX_HOME", "DUMP", "OPENAI_API_KEY", "PATH"], names.Order());
        Assert.Contains($"CODEX_HOME={Path.Combine(Home.TmpDir, "agents", "codex-env", "codex-home")}", File.ReadAllLines(dump));
        Assert.Equal(3, result.InputTokens);
    }

    [Fact]
    public async Task A_codex_run_without_a_model_takes_it_from_codexs_session_log_so_it_is_priced()
    {
        // Like Codex: the session log under CODEX_HOME names the model; exec --json does not.
        var logged = AgentTestSupport.Script(Root, "codex-rollout",
            """mkdir -p "$CODEX_HOME/sessions/2026/12/07"; echo '{"type":"turn_context","payload":{"model":"gpt-5.6-sol"}}' > "$CODEX_HOME/sessions/2026/12/07/rollout-2026-12-07T10-00-00-t-roll.jsonl"; echo '{"type":"thread.started","thread_id":"t-roll"}'; echo '{"type":"turn.completed","usage":{"input_tokens":1000000,"output_tokens":10}}'""");
        var silent = AgentTestSupport.Script(Root, "codex-nolog",
            """echo '{"type":"thread.started","thread_id":"t-none"}'; echo '{"type":"turn.completed","usage":{"input_tokens":3}}'""");

        var fromLog = await new CodexAdapter().RunAsync(Invocation("codex-log", logged, 60), NullAgentRunObserver.Instance, CancellationToken.None);
        var byDefault = await new CodexAdapter().RunAsync(Invocation("codex-default", silent, 60), NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.True(fromLog.Success, fromLog.Error);
        Assert.Equal(("gpt-5.6-sol", CodexAdapter.KnownDefaultModel), (fromLog.Model, byDefault.Model));
        var ledger = new Core.Usage.TokenLedger(Home);
        var stored = ledger.Append(new Core.Usage.LedgerRecord { Time = DateTimeOffset.UtcNow, Agent = "codex", Model = fromLog.Model, InputTokens = fromLog.InputTokens, OutputTokens = fromLog.OutputTokens });
        Assert.Equal((CostSource.Pricing, 5.0003m), (stored.CostSource, stored.CostUsd));   // $5 per million input, $30 per million output
    }

    private AgentInvocation Invocation(string agent, string command, double timeoutSeconds, IReadOnlyDictionary<string, string>? environment = null) => new()
    {
        Agent = new AgentDefinition { Name = agent, Adapter = "test", Command = command },
        Task = new AgentTask { Id = "t-1", Prompt = "hi", Timeout = timeoutSeconds },
        Environment = environment ?? new Dictionary<string, string> { ["PATH"] = AgentTestSupport.ParentPath },
        WorkingDirectory = Root,
        Home = Home,
        Supervisor = Supervisor,
    };
}
