using AiSwitch.Core.Presets;
using Xunit;

namespace AiSwitch.Core.Tests.Presets;

/// <summary>Import from a folder laid out as the original Python aiswitch writes it (PyYAML, sorted keys, quoted timestamps).</summary>
public sealed class PresetImportTests : IDisposable
{
    private readonly TempPresetHome _home = new();
    private readonly string _original;

    public PresetImportTests()
    {
        _original = Path.Combine(_home.Root, "xdg", "aiswitch", "presets");
        Directory.CreateDirectory(_original);
        // Exactly what yaml.dump(preset.model_dump(), default_flow_style=False) produces.
        File.WriteAllText(Path.Combine(_original, "openai.yaml"),
            "created_at: '2025-09-20T12:34:56.123456'\ndescription: OpenAI official\nname: openai\ntags:\n- gpt\n- official\nvariables:\n  API_BASE_URL: https://api.openai.com/v1\n  API_KEY: sk-original-0123456789abcd\n  API_MODEL: gpt-4\n");
        File.WriteAllText(Path.Combine(_original, "kimi.yaml"),
            "created_at: '2025-09-21T08:00:00'\ndescription: ''\nname: kimi\ntags: []\nvariables:\n  ANTHROPIC_AUTH_TOKEN: sk-kimi-abcdefghijklmnop\n  ANTHROPIC_BASE_URL: https://api.moonshot.cn/anthropic\n");
        File.WriteAllText(Path.Combine(_original, "broken.yaml"), "name: broken\nvariables:\n  - not a mapping\n");
        File.WriteAllText(Path.Combine(_original, "notes.txt"), "not a preset");
    }

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Imports_every_preset_reports_the_broken_one_and_goes_on()
    {
        var context = new RecordingContext();

        var results = _home.Store.Import(new ImportPresetRequest { Path = _original }, context);

        Assert.Equal(["broken", "kimi", "openai"], results.Select(r => r.Name));
        Assert.Equal([ImportStatus.Failed, ImportStatus.Imported, ImportStatus.Imported], results.Select(r => r.Status));
        var failure = Assert.Single(context.Errors);
        Assert.Equal(ErrorId.PresetFileInvalid, failure.Id);
        Assert.Equal("3", failure.Details!["line"]);

        var openai = _home.Store.GetDefinition("openai");
        Assert.Equal("OpenAI official", openai.Description);
        Assert.Equal(["gpt", "official"], openai.Tags);
        Assert.Equal("sk-original-0123456789abcd", openai.Variables["API_KEY"]);
        Assert.Equal("https://api.openai.com/v1", openai.Variables["API_BASE_URL"]);
        Assert.Equal(new DateTime(2025, 9, 20, 12, 34, 56, 123, DateTimeKind.Local).AddTicks(4560), openai.CreatedAt!.Value.LocalDateTime);
        Assert.Equal(3, results[2].VariableCount);
        Assert.Equal(_home.Store.PathFor("openai"), results[2].Destination);
        Assert.Equal(Path.Combine(_original, "openai.yaml"), results[2].SourcePath);
        Assert.Empty(_home.Store.GetDefinition("kimi").Tags);
    }

    [Fact]
    public void Existing_presets_are_skipped_with_a_warning_unless_forced()
    {
        _home.Store.Create(_home.NewRequest("kimi", ("MINE", "keep")));
        var context = new RecordingContext();

        var skipped = _home.Store.Import(new ImportPresetRequest { Path = _original }, context).Single(r => r.Name == "kimi");

        Assert.Equal(ImportStatus.Skipped, skipped.Status);
        Assert.Contains(context.Warnings, w => w.Contains("'kimi'") && w.Contains("-Force"));
        Assert.Equal("keep", _home.Store.GetDefinition("kimi").Variables["MINE"]);

        var replaced = _home.Store.Import(new ImportPresetRequest { Path = _original, Force = true }).Single(r => r.Name == "kimi");
        Assert.Equal(ImportStatus.Replaced, replaced.Status);
        Assert.False(_home.Store.GetDefinition("kimi").Variables.ContainsKey("MINE"));
    }

    [Fact]
    public async Task What_if_imports_nothing()
    {
        var context = new RecordingContext(shouldProcess: _ => false);
        var results = new List<ImportPresetResult>();
        await foreach (var result in _home.Store.ImportAsync(new ImportPresetRequest { Path = _original }, context))
        {
            results.Add(result);
        }

        Assert.Empty(results);
        Assert.Equal(["broken", "kimi", "openai"], context.Asked);
        Assert.Empty(_home.Store.ListNames());
    }

    [Fact]
    public void A_missing_source_folder_says_how_to_point_at_one()
    {
        var missing = Path.Combine(_home.Root, "nowhere");
        var error = Assert.Throws<AiSwitchException>(() => _home.Store.Import(new ImportPresetRequest { Path = missing }));
        Assert.Equal((ErrorId.PresetImportSourceNotFound, -41211), (error.Id, error.Code)); // not -40201: no preset is missing
        Assert.Contains(missing, error.Message);
        Assert.Contains("-Path", error.Message);
    }

    [Fact]
    public void An_original_file_whose_name_cannot_be_a_preset_fails_alone()
    {
        File.WriteAllText(Path.Combine(_original, "my preset.yaml"), "name: my preset\nvariables:\n  A: b\n");
        var context = new RecordingContext();
        var results = _home.Store.Import(new ImportPresetRequest { Path = _original }, context);
        var bad = results.Single(r => r.Name == "my preset");
        Assert.Equal(ImportStatus.Failed, bad.Status);
        Assert.Null(bad.Destination);
        Assert.Contains(context.Errors, e => e.Id == ErrorId.InvalidPresetName);
        Assert.Equal(2, results.Count(r => r.Status == ImportStatus.Imported));
    }

    [Fact]
    public void The_default_source_follows_xdg_config_home_then_dot_config()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var xdg = Path.Combine(_home.Root, "xdg");
        Assert.Equal(_original, ImportPresetRequest.DefaultSourceFolder(name => name == "XDG_CONFIG_HOME" ? xdg : null));
        var profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(profile, ".config", "aiswitch", "presets"), ImportPresetRequest.DefaultSourceFolder(_ => null));
    }
}
