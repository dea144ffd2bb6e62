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
}
