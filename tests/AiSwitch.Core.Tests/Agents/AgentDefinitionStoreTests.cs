using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Tests.Agents;

public sealed class AgentDefinitionStoreTests : IAsyncLifetime
{
    private readonly AgentWorld _world = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private AgentDefinitionStore Store => new(_world.Home, new AdapterCatalog(_world.TaskAdapter));

    [Fact]
    public void With_no_file_the_three_built_ins_are_defined()
    {
        var all = Store.List();

        Assert.Equal(["claude", "codex", "gemini"], all.Select(a => a.Name));
        Assert.All(all, a => Assert.True(a.BuiltIn));
        Assert.Equal([AdapterNames.ClaudeCode, AdapterNames.Codex, AdapterNames.Gemini], all.Select(a => a.Adapter));
    }

    [Fact]
    public void One_store_sees_every_change_to_the_file_whoever_made_it()
    {
        var store = Store;
        _world.WriteAgentsYaml("agents:\n  - name: first\n    adapter: fake-task\n");
        Assert.Contains("first", store.List().Select(a => a.Name));

        // Another process rewrites it, then breaks it: the store reads each version, not the one it parsed before.
        Store.Register(new RegisterAgentRequest { Name = "second", Adapter = "fake-task", Command = "env" });
        var afterOther = store.List().Select(a => a.Name).ToList();
        _world.WriteAgentsYaml("agents:\n  - name: [broken\n");
        var broken = Assert.Throws<AiSwitchException>(() => store.List());
        File.Delete(store.Path);

        Assert.Contains("second", afterOther);
        Assert.Contains("first", afterOther);
        Assert.Equal(ErrorId.AgentDefinitionInvalid, broken.Id);
        Assert.Equal(["claude", "codex", "gemini"], store.List().Select(a => a.Name));
    }

    [Fact]
    public void Every_field_is_read()
    {
        _world.WriteAgentsYaml("""
            schema_version: 1
            environment_allowlist: [PATH, "CORP_*"]
            agents:
              - name: reviewer
                adapter: jsonrpc
                command: ~/bin/reviewer
                args: ["--stdio", "--quiet"]
                preset: kimi
                working_directory: /srv/app
                tags: [review, python]
                max_concurrency: 4
                default_timeout: 5m
                environment:
                  LOG_LEVEL: debug
                  TOKEN: env:REVIEWER_TOKEN
                restart_policy: never
                max_restarts: 2
                model: kimi-k2
            """);

        var config = Store.Load();
        var agent = Assert.Single(config.Agents);

        Assert.Equal(["PATH", "CORP_*"], config.EffectiveAllowlist);
        Assert.Equal(("reviewer", "jsonrpc", "~/bin/reviewer"), (agent.Name, agent.Adapter, agent.Command));
        Assert.Equal(["--stdio", "--quiet"], agent.Arguments);
        Assert.Equal(("kimi", "/srv/app", "kimi-k2"), (agent.Preset, agent.WorkingDirectory, agent.Model));
        Assert.Equal(["review", "python"], agent.Tags);
        Assert.Equal((4, TimeSpan.FromMinutes(5), RestartPolicy.Never, 2), (agent.MaxConcurrency, agent.DefaultTimeout, agent.RestartPolicy, agent.MaxRestarts));
        Assert.Equal("env:REVIEWER_TOKEN", agent.Environment["TOKEN"]);
        Assert.Equal(Store.Path, agent.Source);
        Assert.False(agent.BuiltIn);
    }

    [Fact]
    public void A_user_definition_overrides_the_built_in_of_the_same_name()
    {
        _world.WriteAgentsYaml("agents:\n  - name: claude\n    adapter: claude-code\n    command: /opt/claude/bin/claude\n    preset: work\n");

        var claude = Store.Get("CLAUDE");

        Assert.Equal(("/opt/claude/bin/claude", "work", false), (claude.Command, claude.Preset, claude.BuiltIn));
        Assert.Equal(3, Store.List().Count);
    }

    [Theory]
    [InlineData("agents:\n  - name: a\n    adapter: nope\n", 3, 14, "the adapter 'nope' is not known. Known adapters: anthropic, claude-code, codex, fake-task, gemini, jsonrpc, openai")]
    [InlineData("agents:\n  - name: a\n    adapter: codex\n    max_concurency: 2\n", 4, 5, "'max_concurency' is not a known field. Known fields: name, adapter")]
    [InlineData("agents:\n  - adapter: codex\n", 2, 5, "this agent has no 'name'")]
    [InlineData("agents:\n  - name: a\n", 2, 5, "agent 'a' has no 'adapter'")]
    [InlineData("agents:\n  - name: a\n    adapter: codex\n  - name: A\n    adapter: gemini\n", 4, 5, "agent 'A' is defined twice")]
    [InlineData("agents:\n  - name: ../etc\n    adapter: codex\n", 2, 11, "the agent name '../etc' is not valid")]
    [InlineData("agents:\n  - name: a\n    adapter: codex\n    max_concurrency: 0\n", 4, 22, "max_concurrency is 0; use 1 to 64")]
    [InlineData("agents:\n  - name: a\n    adapter: codex\n    max_concurrency: many\n", 4, 22, "'max_concurrency' is 'many', not a whole number")]
    [InlineData("agents:\n  - name: a\n    adapter: codex\n    default_timeout: soon\n", 4, 22, "default_timeout is 'soon'")]
    [InlineData("agents:\n  - name: a\n    adapter: codex\n    restart_policy: always\n", 4, 21, "restart_policy is 'always'; use 'on-failure' or 'never'")]
    [InlineData("agents:\n  - name: a\n    adapter: codex\n    args: --stdio\n", 4, 11, "'args' must be a list")]
    [InlineData("agents:\n  - name: a\n    adapter: codex\n    environment:\n      1BAD: x\n", 5, 7, "'1BAD' is not a valid environment variable name")]
    [InlineData("agents:\n  - name: a\n    adapter: codex\n    environment:\n      KEY: env:1BAD\n", 5, 7, "is malformed")]
    [InlineData("agents: {a: 1}\n", 1, 9, "'agents' must be a list")]
    [InlineData("agent:\n  - name: a\n", 1, 1, "'agent' is not a known field. Known fields: schema_version, environment_allowlist, agents")]
    [InlineData("schema_version: 9\nagents: []\n", 1, 17, "it has schema version 9")]
    [InlineData("agents:\n  - name: a\n\tadapter: codex\n", 3, 1, "")]
    public void A_bad_file_fails_at_its_line_and_column(string yaml, int line, int column, string problem)
    {
        _world.WriteAgentsYaml(yaml);

        var ex = Assert.Throws<AiSwitchException>(() => Store.List());

        Assert.Equal(ErrorId.AgentDefinitionInvalid, ex.Id);
        Assert.Contains($"Agents file '{Store.Path}' is invalid at line {line}, column {column}: ", ex.Message);
        Assert.Contains(problem, ex.Message);
        Assert.Equal(line.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Details!["line"]);
    }

    [Theory]
    [InlineData("300", 300)]
    [InlineData("90s", 90)]
    [InlineData("1.5m", 90)]
    [InlineData("2h", 7200)]
    [InlineData("00:01:30", 90)]
    public void Timeouts_read_as_seconds_units_or_clock_time(string text, double seconds)
    {
        _world.WriteAgentsYaml($"agents:\n  - name: a\n    adapter: codex\n    default_timeout: \"{text}\"\n");

        Assert.Equal(TimeSpan.FromSeconds(seconds), Store.Get("a").DefaultTimeout);
    }

    [Fact]
    public void Empty_agents_and_comments_are_fine()
    {
        _world.WriteAgentsYaml("# nothing yet\nagents:\n");

        Assert.Empty(Store.Load().Agents);
        Assert.Equal(AgentsConfig.DefaultAllowlist, Store.Load().EffectiveAllowlist);
    }

    [Fact]
    public void Register_writes_a_file_that_reads_back_the_same()
    {
        var request = new RegisterAgentRequest
        {
            Name = "reviewer", Adapter = "jsonrpc", Command = "/opt/reviewer", Arguments = ["--stdio", "a \"quoted\" arg"],
            Preset = "kimi", Tags = ["review"], MaxConcurrency = 2, WorkingDirectory = "/srv", Model = "k2",
            DefaultTimeout = TimeSpan.FromSeconds(42.5), Environment = new Dictionary<string, string> { ["KEY"] = "env:K" },
            RestartPolicy = RestartPolicy.Never, MaxRestarts = 1,
        };

        var written = Store.Register(request);
        var read = Store.Get("reviewer");

        Assert.Equivalent(written, read, strict: true);
        Assert.Contains("# AiSwitch agents", File.ReadAllText(Store.Path));
    }

    [Fact]
    public void Register_refuses_a_duplicate_unless_forced_and_keeps_the_allowlist()
    {
        _world.WriteAgentsYaml("environment_allowlist: [PATH]\nagents:\n  - name: a\n    adapter: codex\n");

        var ex = Assert.Throws<AiSwitchException>(() => Store.Register(new RegisterAgentRequest { Name = "A", Adapter = "gemini" }));
        Store.Register(new RegisterAgentRequest { Name = "a", Adapter = "gemini", Force = true });

        Assert.Equal(ErrorId.AgentAlreadyExists, ex.Id);
        Assert.Contains("Add -Force (--force)", ex.Message);
        Assert.Equal("gemini", Store.Get("a").Adapter);
        Assert.Equal(["PATH"], Store.Load().EffectiveAllowlist);
    }

    [Theory]
    [InlineData("bad name", null, ErrorId.InvalidAgentName, "Agent name 'bad name' is not valid")]
    [InlineData("ok", "nope", ErrorId.InvalidArgument, "the adapter 'nope' is not known. Known adapters: anthropic, claude-code")]
    public void Register_validates_before_writing(string name, string? adapter, ErrorId id, string message)
    {
        var ex = Assert.Throws<AiSwitchException>(() => Store.Register(new RegisterAgentRequest { Name = name, Adapter = adapter ?? "codex" }));

        Assert.Equal(id, ex.Id);
        Assert.Contains(message, ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(Store.Path));
    }

    [Fact]
    public void Unregister_removes_a_user_definition_and_brings_back_a_built_in()
    {
        Store.Register(new RegisterAgentRequest { Name = "claude", Adapter = "claude-code", Command = "/x/claude" });
        Store.Register(new RegisterAgentRequest { Name = "mine", Adapter = "codex" });

        Store.Unregister("claude");
        Store.Unregister("mine");

        Assert.Equal("claude", Store.Get("claude").Command);
        Assert.Equal(ErrorId.AgentNotFound, Assert.Throws<AiSwitchException>(() => Store.Get("mine")).Id);
        var builtIn = Assert.Throws<AiSwitchException>(() => Store.Unregister("codex"));
        Assert.Contains("is built in and cannot be unregistered", builtIn.Message);
    }

    [Fact]
    public void An_unknown_agent_suggests_close_names_and_how_to_register()
    {
        var ex = Assert.Throws<AiSwitchException>(() => Store.Get("cladue"));

        Assert.Equal(ErrorId.AgentNotFound, ex.Id);
        Assert.Equal("Agent 'cladue' not found. Did you mean 'claude'? Register it with Register-AiAgent -Name cladue -Adapter <adapter> (aiswitch agents register cladue --adapter <adapter>).", ex.Message);
    }

    [Fact]
    public void Concurrent_registrations_from_many_threads_lose_nothing()
    {
        Parallel.For(0, 16, i => Store.Register(new RegisterAgentRequest { Name = $"agent{i}", Adapter = "codex" }));

        Assert.Equal(16, Store.Load().Agents.Count);
    }

    [Fact]
    public void Built_ins_are_discovered_on_the_sessions_PATH()
    {
        var bin = Path.Combine(_world.Root, "fake-bin");
        AgentTestSupport.Script(bin, "claude", "echo fake claude");
        AgentTestSupport.Script(bin, "gemini", "echo fake gemini");
        _world.Parent.Set("PATH", bin);
        var registry = _world.NewRegistry();

        var agents = registry.Get().ToDictionary(a => a.Name);

        Assert.Equal(Path.Combine(bin, "claude"), agents["claude"].CommandPath);
        Assert.Equal(Path.Combine(bin, "gemini"), agents["gemini"].CommandPath);
        Assert.Null(agents["codex"].CommandPath);
        Assert.All(agents.Values, a => Assert.Equal(AgentStatus.Stopped, a.Status));
        Assert.All(agents.Values, a => Assert.Equal("built-in", a.Source));
    }
}
