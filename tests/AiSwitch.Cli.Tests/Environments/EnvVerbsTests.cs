using System.Diagnostics;
using AiSwitch.Core.Home;
using AiSwitch.Core.Presets;
using Xunit;

namespace AiSwitch.Cli.Tests.Environments;

public sealed class EnvVerbsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "aiswitch-envverbs", Guid.NewGuid().ToString("N"));
    private readonly CliProcess _cli;

    public EnvVerbsTests()
    {
        var home = new AiHome(_root).EnsureCreated();
        _cli = new CliProcess(_root, new Dictionary<string, string> { ["SOURCE_KEY"] = "from-the-environment" });
        var presets = new PresetStore(home);
        presets.Create(new NewPresetRequest { Name = "gpt", Variables = new Dictionary<string, string> { ["OPENAI_BASE_URL"] = "https://a.example", ["OPENAI_MODEL"] = "gpt-5" } });
        presets.Create(new NewPresetRequest { Name = "kimi", Variables = new Dictionary<string, string> { ["OPENAI_BASE_URL"] = "https://b.example", ["OPENAI_API_KEY"] = "env:SOURCE_KEY" } });
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Switch_snapshot_list_rollback_and_remove_an_agent()
    {
        var first = _cli.Run("env", "switch", "claude", "gpt", "--output-format", "csv");
        Assert.Equal(0, first.ExitCode);
        Assert.StartsWith("Agent,PreviousPreset,CurrentPreset,SnapshotId,SwitchedAt", first.Stdout);

        Assert.Equal(0, _cli.Run("env", "snapshot", "claude", "on-gpt", "--description", "known good").ExitCode);
        Assert.Equal(0, _cli.Run("env", "switch", "claude", "kimi", "--var", "OPENAI_MODEL=k2").ExitCode);
        Assert.Contains("kimi", _cli.Run("current").Stdout);

        var list = _cli.Run("env", "list", "claude");
        Assert.Contains("on-gpt", list.Stdout);
        Assert.Contains("known good", list.Stdout);

        var rollback = _cli.Run("env", "rollback", "claude", "on-gpt");
        Assert.Equal(0, rollback.ExitCode);
        Assert.Contains("True", rollback.Stdout);
        var current = _cli.Run("current", "--output-format", "json").Stdout;
        Assert.Contains("\"preset\": \"gpt\"", current);

        Assert.Equal(0, _cli.Run("env", "remove", "claude", "on-gpt").ExitCode);
        var gone = _cli.Run("env", "rollback", "claude", "on-gpt");
        Assert.Equal(3, gone.ExitCode);
        Assert.StartsWith("aiswitch: SnapshotNotFound (-40203): Snapshot 'on-gpt' of 'claude' not found", gone.Stderr);
    }

    [Fact]
    public void A_tampered_snapshot_exits_5_with_a_checksum_mismatch_and_force_restores_it()
    {
        _cli.Run("env", "switch", "codex", "gpt");
        _cli.Run("env", "snapshot", "codex", "s1");
        var path = Path.Combine(_root, "state", "snapshots", "codex", "s1.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("gpt-5", "gpt-6", StringComparison.Ordinal));

        var refused = _cli.Run("env", "rollback", "codex", "s1");
        Assert.Equal(5, refused.ExitCode);
        Assert.StartsWith("aiswitch: SnapshotChecksumMismatch (-41207):", refused.Stderr);

        var forced = _cli.Run("env", "rollback", "codex", "s1", "--force", "--output-format", "json");
        Assert.Equal(0, forced.ExitCode);
        Assert.Contains("\"checksum_verified\": false", forced.Stdout);
    }

    [Fact]
    public void Bad_names_and_unknown_presets_are_clear_errors()
    {
        var badAgent = _cli.Run("env", "switch", "../x", "gpt");
        Assert.Equal(4, badAgent.ExitCode);
        Assert.Contains("EnvironmentValidationFailed (-40205)", badAgent.Stderr);

        var badId = _cli.Run("env", "snapshot", "claude", "a/b");
        Assert.Equal(4, badId.ExitCode);
        Assert.Contains("Snapshot id 'a/b' is not valid", badId.Stderr);

        var unknown = _cli.Run("env", "switch", "claude", "gtp");
        Assert.Equal(3, unknown.ExitCode);
        Assert.Contains("PresetNotFound (-40201)", unknown.Stderr);

        var badVar = _cli.Run("env", "switch", "claude", "gpt", "--var", "=oops");
        Assert.Equal(4, badVar.ExitCode);
        Assert.Contains("NAME=VALUE", badVar.Stderr);
        Assert.DoesNotContain("oops", badVar.Stderr);

        var shellForAgent = _cli.Run("env", "rollback", "claude", "any", "--shell", "bash");
        Assert.Equal(4, shellForAgent.ExitCode);
        Assert.Contains("--shell restores a shell's environment, so it takes the target 'session', not 'claude'", shellForAgent.Stderr);
        Assert.Empty(shellForAgent.Stdout);
    }

    [Fact]
    public void Session_rollback_with_shell_prints_lines_that_restore_the_shell()
    {
        // Apply in a real bash, then undo it there with the printed rollback lines.
        var dll = Path.Combine(AppContext.BaseDirectory, "aiswitch.dll");
        var script = $$"""
            export OPENAI_MODEL=mine
            eval "$(dotnet '{{dll}}' apply gpt 2>/dev/null)"
            id=$(dotnet '{{dll}}' env list session --output-format csv | tail -n 1 | cut -d, -f1)
            printf '%s|' "$OPENAI_MODEL" "$AISWITCH_PRESET"
            eval "$(dotnet '{{dll}}' env rollback session "$id" --shell bash)"
            printf '%s|%s|%s' "$OPENAI_MODEL" "${AISWITCH_PRESET-none}" "${OPENAI_BASE_URL-none}"
            """;
        var start = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true };
        start.Environment["AISWITCH_HOME"] = _root;
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEnd();
        bash.WaitForExit();

        Assert.Equal("gpt-5|gpt|mine|none|none", output);
    }
}
