using AiSwitch.Core.Agents;
using AiSwitch.Core.Home;
using AiSwitch.Core.Environments;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Presets;
using Xunit;

namespace AiSwitch.Core.Tests.Environments;

public sealed class EnvironmentOperationsTests : IDisposable
{
    private const string FileSecret = "file-secret-5b1e0c7d9a";
    private const string EnvSecret = "env-secret-2f8a61c4d3";

    private readonly EnvironmentTestHome _home = new();
    private readonly InMemoryEnvironment _environment = new([new("PATH", Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin"), new("SOURCE_TOKEN", EnvSecret)]);
    private readonly AiSession _session;
    private readonly EnvironmentOperations _operations;
    private readonly string _secretFile;

    public EnvironmentOperationsTests()
    {
        _session = new AiSession(_home.Home, _environment);
        _operations = new EnvironmentOperations(_session, durable: false);
        _secretFile = Path.Combine(_home.Root, "key.txt");
        File.WriteAllText(_secretFile, FileSecret + "\n");
        var presets = new PresetStore(_home.Home);
        presets.Create(new NewPresetRequest
        {
            Name = "kimi",
            Variables = new Dictionary<string, string>
            {
                ["OPENAI_BASE_URL"] = "https://api.moonshot.example/v1",
                ["OPENAI_API_KEY"] = "file:" + _secretFile,
                ["MODEL_NOTE"] = "env:SOURCE_TOKEN",
            },
        });
        presets.Create(new NewPresetRequest { Name = "gpt", Variables = new Dictionary<string, string> { ["OPENAI_BASE_URL"] = "https://api.openai.example/v1", ["OPENAI_MODEL"] = "gpt-5" } });
        presets.Create(new NewPresetRequest { Name = "broken", Variables = new Dictionary<string, string> { ["A"] = "literal", ["B"] = "env:NOT_SET_ANYWHERE" } });
    }

    public void Dispose()
    {
        _session.Dispose();
        _home.Dispose();
    }

    [Fact]
    public void Switch_resolves_references_and_applies_them_to_the_session()
    {
        var result = _operations.Switch(null, "kimi");

        Assert.Equal("session", result.Agent);
        Assert.Equal(FileSecret, _environment.Get("OPENAI_API_KEY"));
        Assert.Equal(EnvSecret, _environment.Get("MODEL_NOTE"));
        Assert.Equal("https://api.moonshot.example/v1", _environment.Get("OPENAI_BASE_URL"));
        Assert.Equal("kimi", _operations.Current()[0].Preset);
    }

    [Fact]
    public void An_unresolvable_reference_changes_nothing_and_writes_no_snapshot()
    {
        _operations.Switch(null, "gpt", snapshot: false);
        var before = _environment.GetAll();

        var error = Assert.Throws<AiSwitchException>(() => _operations.Switch(null, "broken"));

        Assert.Equal(ErrorId.ReferenceUnresolved, error.Id);
        Assert.Equal(before, _environment.GetAll());
        Assert.Empty(_operations.ListSnapshots());
    }

    [Fact]
    public void Overrides_lay_over_the_preset_and_an_unknown_preset_suggests_names()
    {
        _operations.Switch("claude", "gpt", new Dictionary<string, string> { ["OPENAI_MODEL"] = "gpt-5-mini", ["EXTRA"] = "env:SOURCE_TOKEN" });

        var launch = _operations.LaunchVariables("claude");
        Assert.Equal("gpt-5-mini", launch["OPENAI_MODEL"]);
        Assert.Equal(EnvSecret, launch["EXTRA"]);
        Assert.Null(_environment.Get("OPENAI_MODEL")); // an agent's switch leaves the session alone

        var missing = Assert.Throws<AiSwitchException>(() => _operations.Switch("claude", "gtp"));
        Assert.Equal(ErrorId.PresetNotFound, missing.Id);
    }

    [Fact]
    public void Snapshot_views_show_preset_literals_and_mask_everything_else()
    {
        _operations.Switch(null, "kimi");
        var view = _operations.Checkpoint(null, "mine", "before tests");

        Assert.Equal("https://api.moonshot.example/v1", view.Variables["OPENAI_BASE_URL"]);
        Assert.Equal(Redaction.MaskValue(FileSecret), view.Variables["OPENAI_API_KEY"]);
        Assert.Equal(Redaction.MaskValue(EnvSecret), view.Variables["MODEL_NOTE"]);
        Assert.Equal("kimi", view.PresetName);
        Assert.Equal(3, view.VariableCount);
    }

    [Fact]
    public void An_agent_switch_keeps_references_in_its_record_backup_and_snapshots_and_resolves_them_at_launch()
    {
        _operations.Switch("codex", "kimi", new Dictionary<string, string> { ["EXTRA_KEY"] = "env:SOURCE_TOKEN" });
        _operations.Switch("codex", "gpt");                  // the kimi record becomes the backup and a snapshot
        _operations.Switch("codex", "kimi");
        var view = _operations.Checkpoint("codex", "mine");

        foreach (var file in Directory.EnumerateFiles(_home.Home.StateDir, "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.False(text.Contains(FileSecret, StringComparison.Ordinal) || text.Contains(EnvSecret, StringComparison.Ordinal),
                $"{Path.GetRelativePath(_home.Root, file)} holds a resolved secret:\n{text}");
        }

        var record = File.ReadAllText(Path.Combine(_home.Home.StateDir, "environments", "codex.json"));
        Assert.Contains("file:" + _secretFile, record);
        Assert.Contains("env:SOURCE_TOKEN", record);
        Assert.Equal("file:" + _secretFile, view.Variables["OPENAI_API_KEY"]); // a reference is shown as written, like in a preset
        var launch = _operations.LaunchVariables("codex");
        Assert.Equal(FileSecret, launch["OPENAI_API_KEY"]);
        Assert.Equal(EnvSecret, launch["MODEL_NOTE"]);

        _environment.Set("SOURCE_TOKEN", "rotated-token-7c1d");   // resolved at launch, so a rotated key is picked up
        Assert.Equal("rotated-token-7c1d", _operations.LaunchVariables("codex")["MODEL_NOTE"]);
    }

    [Fact]
    public void Rolling_back_an_agents_first_switch_gives_it_back_its_definitions_preset_as_references()
    {
        new PresetStore(_home.Home).Create(new NewPresetRequest
        {
            Name = "gpt4",
            Variables = new Dictionary<string, string> { ["OPENAI_MODEL"] = "gpt-4", ["OPENAI_API_KEY"] = "env:SOURCE_TOKEN" },
        });
        _session.Agents.Register(new RegisterAgentRequest { Name = "coder", Adapter = "openai", Preset = "gpt4" });

        var first = _operations.Switch("coder", "kimi");
        Assert.Equal("gpt4", first.PreviousPreset);
        var undone = _operations.Restore("coder", first.SnapshotId!);

        Assert.Equal("gpt4", undone.PresetName);
        var launch = new AgentEnvironmentBuilder(_home.Home, _environment).Build(new AgentDefinitionStore(_home.Home).Get("coder"), new Dictionary<string, string>(), []);
        Assert.Equal("gpt-4", launch.Variables["OPENAI_MODEL"]);
        Assert.Equal(EnvSecret, launch.Variables["OPENAI_API_KEY"]);
        Assert.False(launch.Variables.ContainsKey("OPENAI_BASE_URL"), "kimi's variable outlived the rollback");

        // The snapshot keeps the definition's values as written: the reference, never the key it resolves to.
        var snapshot = File.ReadAllText(Path.Combine(_home.Home.StateDir, "snapshots", "coder", first.SnapshotId + ".json"));
        Assert.Contains("env:SOURCE_TOKEN", snapshot);
        Assert.DoesNotContain(EnvSecret, snapshot);
    }

    [Fact]
    public void Apply_without_a_name_uses_the_project_pin_and_its_overrides()
    {
        var project = Path.Combine(_home.Root, "project", "src");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(_home.Root, "project", ".aiswitch.yaml"), "preset: gpt\noverrides:\n  OPENAI_MODEL: gpt-5-nano\n");
        _session.Environments.AllowPin(project);

        var result = _operations.Apply(null, project);

        Assert.Equal("gpt", result.CurrentPreset);
        Assert.Equal("gpt-5-nano", _environment.Get("OPENAI_MODEL"));
        var none = Assert.Throws<AiSwitchException>(() => _operations.Apply(null, Path.GetTempPath()));
        Assert.Equal(ErrorId.NoProjectPin, none.Id);
    }

    [Fact]
    public void The_bash_script_from_apply_recreates_the_switch_in_a_real_shell()
    {
        _operations.Switch(null, "gpt", snapshot: false);
        var (result, script) = _operations.ApplyForShell("kimi", _home.Root, ShellKind.Bash);

        var ((stdout, _), exit) = ShellScriptTests.RunBash(
            "export OPENAI_MODEL=stale; eval \"$(cat)\"; printf '%s|%s|%s|%s' \"$OPENAI_API_KEY\" \"${OPENAI_MODEL-gone}\" \"$AISWITCH_PRESET\" \"$AISWITCH_MANAGED_VARIABLES\"",
            script);

        Assert.Equal(0, exit);
        Assert.Equal($"{FileSecret}|gone|kimi|MODEL_NOTE,OPENAI_API_KEY,OPENAI_BASE_URL", stdout);
        Assert.Equal(["OPENAI_MODEL"], result.VariablesRemoved);
    }

    [Fact]
    public async Task Exec_passes_the_environment_and_the_exit_code_and_leaves_the_session_alone()
    {
        var output = Path.Combine(_home.Root, "child.txt");

        var exit = await _operations.ExecAsync("kimi", _home.Root, "sh",
            ["-c", "printf '%s|%s' \"$OPENAI_API_KEY\" \"$PATH\" > \"$1\"; exit 7", "sh", output], CancellationToken.None);

        Assert.Equal(7, exit);
        Assert.Equal($"{FileSecret}|{_environment.Get("PATH")}", File.ReadAllText(output));
        Assert.Null(_environment.Get("OPENAI_API_KEY"));
        Assert.Empty(_operations.ListSnapshots());
    }

    [Fact]
    public async Task Exec_of_a_missing_command_says_so()
    {
        var error = await Assert.ThrowsAsync<AiSwitchException>(() =>
            _operations.ExecAsync("gpt", _home.Root, "no-such-command-aiswitch", [], CancellationToken.None));

        Assert.Equal(ErrorId.InvalidArgument, error.Id);
        Assert.Contains("no-such-command-aiswitch", error.Message);
    }

    [Fact]
    public void Snapshots_list_by_target_and_wildcard_and_remove()
    {
        _operations.Checkpoint("claude", "a1");
        _operations.Checkpoint("claude", "b1");
        _operations.Checkpoint(null, "a2");

        Assert.Equal(3, _operations.ListSnapshots().Count);
        Assert.Equal(["a1", "b1"], _operations.ListSnapshots("claude").Select(s => s.SnapshotId));
        Assert.Equal(["a1", "a2"], _operations.ListSnapshots(null, "a*").Select(s => s.SnapshotId).Order());
        Assert.Equal(["a1", "a2", "b1"], _operations.SnapshotIds());
        Assert.Equal(ErrorId.SnapshotNotFound, Assert.Throws<AiSwitchException>(() => _operations.ListSnapshots(null, "zz")).Id);

        _operations.RemoveSnapshot("claude", "a1");
        Assert.Equal(["b1"], _operations.SnapshotIds("claude"));
        Assert.Equal(ErrorId.SnapshotNotFound, Assert.Throws<AiSwitchException>(() => _operations.RemoveSnapshot("claude", "a1")).Id);
    }

    [Fact]
    public void Current_lists_the_session_then_agents_with_records()
    {
        _operations.Switch("zeta", "gpt", snapshot: false);
        _operations.Switch("alpha", "kimi", snapshot: false);

        var current = _operations.Current();

        Assert.Equal(["session", "alpha", "zeta"], current.Select(c => c.Agent));
        Assert.Null(current[0].Preset);
        Assert.Equal("kimi", current[1].Preset);
        Assert.Equal(["alpha", "zeta"], _operations.AgentNames());
        Assert.NotNull(current[1].SwitchedAt);
    }

    [Fact]
    public async Task A_second_session_on_the_same_process_environment_waits_for_a_switch_in_progress()
    {
        // Runspaces of one pwsh process share its environment, so their switches must not interleave.
        _operations.Switch("warm-up", "kimi", snapshot: false); // compiled and cached, so the second switch reaches the gate at once
        var shared = new HoldingEnvironment(_environment, holdOn: "OPENAI_MODEL");
        using var first = new AiSession(_home.Home, shared);
        using var second = new AiSession(_home.Home, shared);
        var switching = Task.Run(() => new EnvironmentOperations(first, durable: false).Switch(null, "gpt", snapshot: false));
        await shared.Held.Task;

        var waiting = Task.Run(() => new EnvironmentOperations(second, durable: false).Switch(null, "kimi", snapshot: false));
        // Nothing can signal "still blocked"; a bounded wait for the second switch to touch the state is the test.
        var intruded = await Task.WhenAny(shared.Intruded.Task, Task.Delay(TimeSpan.FromSeconds(2))) == shared.Intruded.Task;
        shared.Release.Set();
        await Task.WhenAll(switching, waiting);

        Assert.False(intruded, "the second session read or changed the environment while the first was switching it");
        Assert.Equal("kimi", _operations.Current()[0].Preset);
        Assert.Null(_environment.Get("OPENAI_MODEL"));
    }

    /// <summary>Blocks the first Set of one variable until released, and reports any other thread's state access meanwhile.</summary>
    private sealed class HoldingEnvironment(IProcessEnvironment inner, string holdOn) : IProcessEnvironment
    {
        private int _holder;

        public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Intruded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ManualResetEventSlim Release { get; } = new();

        public string? Get(string name)
        {
            if (name.StartsWith("AISWITCH_", StringComparison.Ordinal))
            {
                Check(); // reading the bookkeeping is where a switch starts; resolving references may run outside the gate
            }

            return inner.Get(name);
        }

        public void Set(string name, string? value)
        {
            Check();
            if (name == holdOn && Interlocked.CompareExchange(ref _holder, Environment.CurrentManagedThreadId, 0) == 0)
            {
                Held.SetResult();
                Release.Wait();
            }

            inner.Set(name, value);
        }

        public IReadOnlyDictionary<string, string> GetAll() => inner.GetAll();

        private void Check()
        {
            var holder = Volatile.Read(ref _holder);
            if (holder != 0 && holder != Environment.CurrentManagedThreadId && !Release.IsSet)
            {
                Intruded.TrySetResult();
            }
        }
    }

    [Fact]
    public void An_agent_cannot_be_called_like_a_path()
    {
        var error = Assert.Throws<AiSwitchException>(() => _operations.Switch("../evil", "gpt"));
        Assert.Equal(ErrorId.EnvironmentValidationFailed, error.Id);
        Assert.False(Directory.Exists(Path.Combine(_home.Home.StateDir, "evil")));
    }
}
