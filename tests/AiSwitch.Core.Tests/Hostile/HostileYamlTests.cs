using System.Text;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Home;
using AiSwitch.Core.Presets;
using AiSwitch.Core.Tests.Presets;
using AiSwitch.Core.Usage;
using Xunit;

namespace AiSwitch.Core.Tests.Hostile;

/// <summary>
/// The hostile-input suite, YAML part: files nested deep enough to overflow the parser's stack (which killed the whole
/// process, uncatchably) and files far too big. Each is refused before it is parsed, with an error naming the file and
/// the limit, and the other files still work.
/// </summary>
[Trait("Suite", "Hostile")]
[Collection(HostileSuite.Name)]
public sealed class HostileYamlTests : IDisposable
{
    private const int Levels = 40_000;
    private readonly TempPresetHome _home = new();

    public void Dispose() => _home.Dispose();

    public static TheoryData<string, string> DeepFiles => new()
    {
        // About 80 KB each: flow brackets, flow mappings, and block sequences written compactly on one line.
        { "flow lists", "description: " + new string('[', Levels) + new string(']', Levels) + "\n" },
        { "flow mappings", "description: " + string.Concat(Enumerable.Repeat("{a: ", Levels)) + "x" + new string('}', Levels) + "\n" },
        { "block lists", "tags:\n  " + string.Concat(Enumerable.Repeat("- ", Levels)) + "x\n" },
    };

    [Theory]
    [MemberData(nameof(DeepFiles))]
    public void A_preset_nested_40000_levels_deep_is_reported_and_the_others_are_listed(string shape, string yaml)
    {
        _home.Store.Create(_home.NewRequest("alpha", ("A", "1")));
        _home.WritePresetFile("deep", yaml);
        _home.Store.Create(_home.NewRequest("zeta", ("A", "1")));
        var context = new RecordingContext();

        var listed = _home.Store.List(context: context);

        Assert.Equal(["alpha", "zeta"], listed.Select(p => p.Name));
        var error = Assert.Single(context.Errors);
        Assert.Equal(ErrorId.PresetFileInvalid, error.Id);
        Assert.Contains("deep.yaml", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Contains($"more than {YamlFile.MaxDepth} levels deep, the limit", StringComparison.Ordinal), $"{shape}: {error.Message}");
    }

    [Fact]
    public void A_preset_over_the_size_limit_is_refused_unparsed_and_the_others_are_listed()
    {
        _home.Store.Create(_home.NewRequest("alpha", ("A", "1")));
        // Valid YAML all through: only its size is wrong.
        var huge = new StringBuilder("variables:\n");
        for (var i = 0; huge.Length <= YamlFile.MaxBytes; i++)
        {
            huge.Append("  VAR_").Append(i).Append(": ").Append('x', 100).Append('\n');
        }

        _home.WritePresetFile("huge", huge.ToString());
        var context = new RecordingContext();

        var listed = _home.Store.List(context: context);

        Assert.Equal(["alpha"], listed.Select(p => p.Name));
        var error = Assert.Single(context.Errors);
        Assert.Equal(ErrorId.PresetFileInvalid, error.Id);
        Assert.Contains("huge.yaml", error.Message, StringComparison.Ordinal);
        Assert.Contains("over the 1 MiB limit for AiSwitch's YAML files", error.Message, StringComparison.Ordinal);
        Assert.Equal("1048576", error.Details!["max_bytes"]);
    }

    [Fact]
    public void A_deep_project_pin_is_an_error_naming_the_pin()
    {
        var project = Path.Combine(_home.Root, "cloned");
        Directory.CreateDirectory(project);
        var pin = Path.Combine(project, ProjectPin.FileName);
        File.WriteAllText(pin, "preset: " + new string('[', Levels) + new string(']', Levels) + "\n");

        var error = Assert.Throws<AiSwitchException>(() => ProjectPin.Find(project));

        Assert.Equal(ErrorId.ProjectPinInvalid, error.Id);
        Assert.Contains(pin, error.Message, StringComparison.Ordinal);
        Assert.Contains($"more than {YamlFile.MaxDepth} levels deep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deep_agents_file_and_a_deep_quotas_file_are_errors_naming_them()
    {
        var deep = "agents: " + new string('[', Levels) + new string(']', Levels) + "\n";
        var agents = new AgentDefinitionStore(_home.Home);
        Directory.CreateDirectory(Path.GetDirectoryName(agents.Path)!);
        File.WriteAllText(agents.Path, deep);
        var quotas = new QuotaStore(_home.Home);
        File.WriteAllText(quotas.Path, deep.Replace("agents:", "quotas:", StringComparison.Ordinal));

        var agentsError = Assert.Throws<AiSwitchException>(() => agents.List());
        var quotasError = Assert.Throws<AiSwitchException>(() => quotas.Read());

        Assert.Equal(ErrorId.AgentDefinitionInvalid, agentsError.Id);
        Assert.Contains(agents.Path, agentsError.Message, StringComparison.Ordinal);
        Assert.Contains("levels deep, the limit", agentsError.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorId.UsageConfigInvalid, quotasError.Id);
        Assert.Contains(quotas.Path, quotasError.Message, StringComparison.Ordinal);
        Assert.Contains("levels deep, the limit", quotasError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_at_the_limit_still_parses()
    {
        // 63 lists inside the description's mapping: the file's own mapping makes 64.
        _home.WritePresetFile("nested", "description: " + new string('[', YamlFile.MaxDepth - 1) + new string(']', YamlFile.MaxDepth - 1) + "\n");

        var error = Assert.Throws<AiSwitchException>(() => _home.Store.Get("nested"));

        // Parsed, then refused for what it says (a description must be text), not for its depth.
        Assert.Equal(ErrorId.PresetFileInvalid, error.Id);
        Assert.DoesNotContain("levels deep", error.Message, StringComparison.Ordinal);
    }
}
