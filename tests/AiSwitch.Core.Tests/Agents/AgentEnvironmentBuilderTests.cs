using AiSwitch.Core.Agents;
using AiSwitch.Core.Environments;
using AiSwitch.Core.Hosting;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Tests.Agents;

public sealed class AgentEnvironmentBuilderTests : IAsyncLifetime
{
    private readonly AgentWorld _world = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private AgentEnvironmentBuilder Builder => new(_world.Home, _world.Parent);

    private static AgentDefinition Agent(string? preset = null, Dictionary<string, string>? environment = null) => new()
    {
        Name = "isolated",
        Adapter = FakeTaskAdapter.AdapterName,
        Preset = preset,
        Environment = environment ?? [],
    };

    [Fact]
    public void A_parent_secret_never_reaches_the_agent_while_the_preset_and_quiet_settings_do()
    {
        _world.Preset("mock-a", ("OPENAI_BASE_URL", "http://127.0.0.1:9/a"), ("ANTHROPIC_API_KEY", "preset-key"));

        var built = Builder.Build(Agent("mock-a"), new Dictionary<string, string> { ["QUIET"] = "1" }, AgentsConfig.DefaultAllowlist);

        Assert.False(built.Variables.ContainsKey("OPENAI_API_KEY"));
        Assert.False(built.Variables.ContainsKey("UNRELATED"));
        Assert.DoesNotContain("parent-secret", built.Variables.Values);
        Assert.Equal("http://127.0.0.1:9/a", built.Variables["OPENAI_BASE_URL"]);
        Assert.Equal("preset-key", built.Variables["ANTHROPIC_API_KEY"]);
        Assert.Equal("1", built.Variables["QUIET"]);
        Assert.Equal(AgentTestSupport.ParentPath, built.Variables["PATH"]);
        Assert.Equal("C.UTF-8", built.Variables["LC_ALL"]);
        Assert.Equal("mock-a", built.PresetName);
    }

    [Fact]
    public void A_key_of_another_preset_does_not_leak_in()
    {
        _world.Preset("one", ("ONE_KEY", "one"));
        _world.Preset("two", ("TWO_KEY", "two"));

        var built = Builder.Build(Agent("one"), new Dictionary<string, string>(), AgentsConfig.DefaultAllowlist);

        Assert.Equal("one", built.Variables["ONE_KEY"]);
        Assert.False(built.Variables.ContainsKey("TWO_KEY"));
    }

    [Fact]
    public void The_layers_override_in_order_allowlist_preset_quiet_extras()
    {
        _world.Preset("p", ("HOME", "/preset-home"), ("QUIET", "preset"), ("EXTRA", "preset"));
        var agent = Agent("p", new Dictionary<string, string> { ["EXTRA"] = "agent", ["FROM_PARENT"] = "env:UNRELATED" });

        var built = Builder.Build(agent, new Dictionary<string, string> { ["QUIET"] = "quiet", ["EXTRA"] = "quiet" }, AgentsConfig.DefaultAllowlist);

        Assert.Equal("/preset-home", built.Variables["HOME"]);
        Assert.Equal("quiet", built.Variables["QUIET"]);
        Assert.Equal("agent", built.Variables["EXTRA"]);
        Assert.Equal("parent-only", built.Variables["FROM_PARENT"]); // an explicit reference is the one way in
    }

    [Fact]
    public void The_allowlist_is_configurable_and_takes_prefixes()
    {
        _world.Parent.Set("CORP_PROXY", "http://proxy");
        _world.Parent.Set("CORP_CA", "/ca.pem");

        var built = Builder.Build(Agent(), new Dictionary<string, string>(), ["PATH", "CORP_*"]);

        Assert.Equal(["CORP_CA", "CORP_PROXY", "PATH"], built.Variables.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_agents_environment_record_wins_over_its_definition_and_an_explicit_preset_over_both()
    {
        _world.Preset("defined", ("WHICH", "defined"));
        _world.Preset("switched", ("WHICH", "switched"));
        _world.Preset("explicit", ("WHICH", "explicit"));
        using (var session = new AiSession(_world.Home, _world.Parent))
        {
            new EnvironmentOperations(session).Switch("isolated", "switched");
        }

        var fromRecord = Builder.Build(Agent("defined"), new Dictionary<string, string>(), AgentsConfig.DefaultAllowlist);
        var fromExplicit = Builder.Build(Agent("defined"), new Dictionary<string, string>(), AgentsConfig.DefaultAllowlist, preset: "explicit");

        Assert.Equal(("switched", "switched"), (fromRecord.PresetName, fromRecord.Variables["WHICH"]));
        Assert.Equal(("explicit", "explicit"), (fromExplicit.PresetName, fromExplicit.Variables["WHICH"]));
    }

    [Fact]
    public void The_preset_this_session_applied_comes_after_the_agent_s_record_and_before_its_definition()
    {
        _world.Preset("defined", ("WHICH", "defined"), ("ONLY_DEFINED", "x"));
        _world.Preset("session", ("WHICH", "session"));
        _world.Preset("switched", ("WHICH", "switched"));
        var session = _world.NewSession();
        new EnvironmentOperations(session).Apply("session", _world.Root);

        var fromSession = Builder.Build(Agent("defined"), new Dictionary<string, string>(), AgentsConfig.DefaultAllowlist);
        var bare = Builder.Build(Agent(), new Dictionary<string, string>(), AgentsConfig.DefaultAllowlist);
        new EnvironmentOperations(session).Switch("isolated", "switched");
        var fromRecord = Builder.Build(Agent("defined"), new Dictionary<string, string>(), AgentsConfig.DefaultAllowlist);
        var fromExplicit = Builder.Build(Agent("defined"), new Dictionary<string, string>(), AgentsConfig.DefaultAllowlist, preset: "defined");

        Assert.Equal(("session", "session"), (fromSession.PresetName, fromSession.Variables["WHICH"]));
        Assert.False(fromSession.Variables.ContainsKey("ONLY_DEFINED"), "one preset's variables, never two laid over each other");
        Assert.Equal(("session", "session"), (bare.PresetName, bare.Variables["WHICH"]));
        Assert.Equal(("switched", "switched"), (fromRecord.PresetName, fromRecord.Variables["WHICH"]));
        Assert.Equal(("defined", "defined"), (fromExplicit.PresetName, fromExplicit.Variables["WHICH"]));
    }

    [Fact]
    public void The_model_comes_from_the_definition_or_the_presets_model_variable()
    {
        _world.Preset("m", ("ANTHROPIC_MODEL", "claude-from-preset"));
        var claude = new AgentDefinition { Name = "c", Adapter = AdapterNames.ClaudeCode, Preset = "m" };

        Assert.Equal("claude-from-preset", Builder.Build(claude, new Dictionary<string, string>(), []).Model);
        Assert.Equal("pinned", Builder.Build(new AgentDefinition { Name = "c", Adapter = AdapterNames.ClaudeCode, Preset = "m", Model = "pinned" }, new Dictionary<string, string>(), []).Model);
    }

    [Fact]
    public void An_unresolvable_extra_reference_names_the_agent_and_the_variable()
    {
        var agent = Agent(environment: new Dictionary<string, string> { ["TOKEN"] = "env:NOT_SET_ANYWHERE" });

        var ex = Assert.Throws<AiSwitchException>(() => Builder.Build(agent, new Dictionary<string, string>(), []));

        Assert.Equal(ErrorId.ReferenceUnresolved, ex.Id);
        Assert.Contains("Agent 'isolated': its variable TOKEN refers to 'env:NOT_SET_ANYWHERE'", ex.Message);
    }

    [Fact]
    public async Task The_agent_process_sees_no_parent_secret()
    {
        _world.Preset("mock-a", ("OPENAI_BASE_URL", "http://127.0.0.1:9/a"));
        _world.WriteAgentsYaml("agents:\n  - name: printer\n    adapter: fake-task\n    command: env\n    preset: mock-a\n");
        var registry = _world.NewRegistry();

        var result = await registry.RunAsync(new AgentRunRequest { Agent = "printer", Task = new AgentTask { Id = "t1", Prompt = "-" } });

        var names = result.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..l.IndexOf('=')]).ToList();
        Assert.DoesNotContain("OPENAI_API_KEY", names);
        Assert.DoesNotContain("parent-secret", result.Text);
        Assert.Contains("OPENAI_BASE_URL=http://127.0.0.1:9/a", result.Text);
        Assert.Contains("FAKE_QUIET=1", result.Text);
    }
}
