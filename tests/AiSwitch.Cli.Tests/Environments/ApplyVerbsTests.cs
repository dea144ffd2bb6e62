using AiSwitch.Core.Home;
using AiSwitch.Core.Presets;
using Xunit;

namespace AiSwitch.Cli.Tests.Environments;

public sealed class ApplyVerbsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "aiswitch-applyverbs", Guid.NewGuid().ToString("N"));
    private readonly CliProcess _cli;

    public ApplyVerbsTests()
    {
        var home = new AiHome(_root).EnsureCreated();
        _cli = new CliProcess(_root, new Dictionary<string, string> { ["HOSTILE"] = "it's $(x) `y` \"z\"\nline2 ✓" });
        new PresetStore(home).Create(new NewPresetRequest
        {
            Name = "gpt",
            Variables = new Dictionary<string, string> { ["OPENAI_BASE_URL"] = "https://a.example", ["OPENAI_API_KEY"] = "env:HOSTILE" },
        });
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("bash", "export OPENAI_API_KEY='it'\\''s $(x) `y` \"z\"\nline2 ✓'")]
    [InlineData("zsh", "export OPENAI_API_KEY='it'\\''s $(x) `y` \"z\"\nline2 ✓'")]
    [InlineData("fish", "set -gx OPENAI_API_KEY 'it\\'s $(x) `y` \"z\"\nline2 ✓'")]
    [InlineData("pwsh", "$env:OPENAI_API_KEY = 'it''s $(x) `y` \"z\"\nline2 ✓'")]
    public void Apply_prints_each_shells_form_with_the_real_value(string shell, string expectedLine)
    {
        var result = _cli.Run("apply", "gpt", "--shell", shell);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(expectedLine, result.Stdout);
        Assert.Contains("preset 'gpt' (2 set, 0 removed)", result.Stderr);
    }

    [Fact]
    public void Apply_without_a_name_uses_the_pin_found_upward()
    {
        var project = Directory.CreateDirectory(Path.Combine(_root, "repo", "deep", "er")).FullName;
        File.WriteAllText(Path.Combine(_root, "repo", ".aiswitch.yaml"), "preset: gpt\noverrides:\n  OPENAI_MODEL: pinned\n");
        Assert.Equal(0, _cli.RunIn(project, "pin", "allow").ExitCode);

        var result = _cli.RunIn(project, "apply");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("export OPENAI_MODEL='pinned'", result.Stdout);

        var none = _cli.RunIn(Path.GetTempPath(), "apply");
        Assert.Equal(3, none.ExitCode);
        Assert.Contains("NoProjectPin", none.Stderr);
    }

    [Fact]
    public void Exec_passes_the_exit_code_and_the_environment()
    {
        var output = Path.Combine(_root, "out.txt");

        var result = _cli.Run("exec", "gpt", "--", "sh", "-c", "printf '%s|%s' \"$OPENAI_BASE_URL\" \"$OPENAI_API_KEY\" > \"$0\"; exit 42", output);

        Assert.Equal(42, result.ExitCode);
        Assert.Equal("https://a.example|it's $(x) `y` \"z\"\nline2 ✓", File.ReadAllText(output));
        Assert.Equal(0, _cli.Run("exec", "gpt", "--", "true").ExitCode);
    }

    [Fact]
    public void Exec_of_an_unknown_preset_fails_before_running_anything()
    {
        var marker = Path.Combine(_root, "ran");

        var result = _cli.Run("exec", "nope", "--", "touch", marker);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("PresetNotFound", result.Stderr);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void Apply_with_agents_and_no_task_switches_each_agent_exactly_as_env_switch_does()
    {
        var applied = _cli.Run("apply", "gpt", "--agents", "claude,codex", "--output-format", "csv");
        Assert.Equal(0, _cli.Run("env", "switch", "gemini", "gpt").ExitCode);

        Assert.Equal(0, applied.ExitCode);
        Assert.DoesNotContain("export ", applied.Stdout); // the shell is not what changed
        var rows = applied.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Agent,PreviousPreset,CurrentPreset,SnapshotId", rows[0]);
        Assert.StartsWith("claude,,gpt,", rows[1]);
        Assert.StartsWith("codex,,gpt,", rows[2]);
        Assert.Contains("aiswitch: agent 'claude' now runs with preset 'gpt' (was none); undo with: aiswitch env rollback claude ", applied.Stderr);
        string Record(string agent) => File.ReadAllText(Path.Combine(_root, "state", "environments", agent + ".json"));
        Assert.Equal(Without("switched_at", Record("gemini")).Replace("gemini", "claude", StringComparison.Ordinal), Without("switched_at", Record("claude")));
        Assert.Contains("env:HOSTILE", Record("codex")); // references as written, as env switch keeps them
        Assert.Single(Directory.GetFiles(Path.Combine(_root, "state", "snapshots", "claude"), "*.json"));

        Assert.Equal(0, _cli.Run("apply", "gpt", "--agents", "claude", "--no-snapshot").ExitCode);
        Assert.Single(Directory.GetFiles(Path.Combine(_root, "state", "snapshots", "claude"), "*.json"));

        var nameless = _cli.Run("apply", "--agents", "claude");
        Assert.Equal(4, nameless.ExitCode);
        Assert.Contains("aiswitch apply PRESET --agents NAME", nameless.Stderr);
    }

    [Fact]
    public void Switch_env_binds_the_preset_to_the_runs_agents_for_good_and_only_when_asked()
    {
        Directory.CreateDirectory(Path.Combine(_root, "config"));
        File.WriteAllText(Path.Combine(_root, "config", "agents.yaml"), """
            agents:
              - name: first
                adapter: jsonrpc
                command: /nonexistent/aiswitch-test-agent
            """);
        var cli = new CliProcess(_root, new Dictionary<string, string> { ["HOSTILE"] = "k" }, appHost: true);
        var record = Path.Combine(_root, "state", "environments", "first.json");

        cli.Run("run", "--agents", "first", "--preset", "gpt", "--task", "hi");
        Assert.False(File.Exists(record), "a run without --switch-env changed the agent's environment");

        var switched = cli.Run("run", "--agents", "first", "--preset", "gpt", "--switch-env", "--task", "hi");
        Assert.Contains("aiswitch: agent 'first' now runs with preset 'gpt' (was none); undo with: aiswitch env rollback first ", switched.Stderr);
        Assert.Contains("\"preset\": \"gpt\"", File.ReadAllText(record));

        var applied = cli.Run("apply", "kimi", "--agents", "first", "--switch-env", "--task", "hi");
        Assert.Contains("PresetNotFound", applied.Stderr);
        Assert.Contains("\"preset\": \"gpt\"", File.ReadAllText(record)); // an unknown preset changes no agent

        var presetless = cli.Run("run", "--agents", "first", "--switch-env", "--task", "hi");
        Assert.Equal(4, presetless.ExitCode);
        Assert.Contains("needs a preset", presetless.Stderr);
    }

    private static string Without(string property, string json)
        => string.Join('\n', json.Split('\n').Where(line => !line.Contains($"\"{property}\"", StringComparison.Ordinal)));
}
