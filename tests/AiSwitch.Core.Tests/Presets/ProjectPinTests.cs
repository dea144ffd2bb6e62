using AiSwitch.Core.Presets;
using Xunit;

namespace AiSwitch.Core.Tests.Presets;

public sealed class ProjectPinTests : IDisposable
{
    private readonly TempPresetHome _home = new();

    public void Dispose() => _home.Dispose();

    private string Folder(params string[] parts)
    {
        var path = Path.Combine([_home.Root, "projects", .. parts]);
        Directory.CreateDirectory(path);
        return path;
    }

    [Fact]
    public void The_nearest_pin_is_found_from_a_nested_folder_upward()
    {
        var project = Folder("app");
        var nested = Folder("app", "src", "deep", "er");
        var pinPath = Path.Combine(project, ProjectPin.FileName);
        File.WriteAllText(pinPath, "preset: openai\noverrides:\n  API_MODEL: gpt-4o-mini\n  API_KEY: env:PROJECT_KEY\n");

        var pin = ProjectPin.Find(nested);

        Assert.NotNull(pin);
        Assert.Equal("openai", pin.Preset);
        Assert.Equal(pinPath, pin.Path);
        Assert.Equal(new Dictionary<string, string> { ["API_KEY"] = "env:PROJECT_KEY", ["API_MODEL"] = "gpt-4o-mini" }, pin.Overrides);
    }

    [Fact]
    public void A_closer_pin_wins_over_a_parent_one()
    {
        File.WriteAllText(Path.Combine(Folder("mono"), ProjectPin.FileName), "preset: outer\n");
        var inner = Folder("mono", "service");
        File.WriteAllText(Path.Combine(inner, ProjectPin.FileName), "preset: inner\n");
        Assert.Equal("inner", ProjectPin.Find(Folder("mono", "service", "src"))!.Preset);
        Assert.Empty(ProjectPin.Find(inner)!.Overrides);
    }

    [Fact]
    public void No_pin_anywhere_up_is_null()
    {
        // The temp folder's ancestors have no .aiswitch.yaml on a build machine; a pin there would show up here.
        Assert.Null(ProjectPin.Find(Folder("plain", "nested")));
    }

    [Theory]
    [InlineData("overrides:\n  A: b\n", 1, 1, "no 'preset")]
    [InlineData("preset: ../evil\n", 1, 9, "'preset' must name a preset")]
    [InlineData("preset: p\noverrides:\n  BAD-NAME: x\n", 3, 3, "'BAD-NAME'")]
    [InlineData("preset: p\noverrides:\n  A: [1]\n", 3, 6, "must be text")]
    [InlineData("preset: p\noverrides: [a]\n", 2, 12, "must be a mapping")]
    [InlineData("preset: p\n  bad indent: x\n", 2, 13, "")]
    public void A_malformed_pin_is_an_error_with_file_line_and_column(string yaml, int line, int column, string problem)
    {
        var folder = Folder("bad");
        var path = Path.Combine(folder, ProjectPin.FileName);
        File.WriteAllText(path, yaml);

        var error = Assert.Throws<AiSwitchException>(() => ProjectPin.Find(folder));

        Assert.Equal(ErrorId.ProjectPinInvalid, error.Id);
        Assert.Contains(path, error.Message);
        Assert.Contains(problem, error.Message);
        Assert.Equal($"{line}:{column}", $"{error.Details!["line"]}:{error.Details["column"]}");
    }
}
