using System.Text.Json;
using Xunit;

namespace AiSwitch.Cli.Tests.Presets;

public sealed class PresetVerbsTests : IDisposable
{
    private const string Secret = "sk-cli-test-0123456789SECRET";
    private readonly PresetCli _cli = new();

    public void Dispose() => _cli.Dispose();

    private void Ok((int Code, string Out, string Err) result) => Assert.True(result.Code == 0, $"exit {result.Code}: {result.Err}");

    [Fact]
    public void Json_output_writes_non_ascii_text_as_it_is()
    {
        Ok(_cli.Run("preset", "add", "prod", "OPENAI_MODEL=gpt-4o", "--description", "生产环境 — café"));

        var json = _cli.Run("preset", "list", "--output-format", "json");

        Ok(json);
        Assert.Contains("\"生产环境 — café\"", json.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", json.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_show_and_list_never_print_the_secret()
    {
        Ok(_cli.Run("preset", "add", "openai", $"OPENAI_API_KEY={Secret}", "OPENAI_MODEL=gpt-4o", "OPENAI_BASE_URL=env:BASE", "--description", "OpenAI direct", "--tag", "work", "--tag", "fast"));

        var show = _cli.Run("preset", "show", "openai");
        Ok(show);
        Assert.Contains("Name        : openai", show.Out);
        Assert.Contains("Tags        : work, fast", show.Out);
        Assert.Contains("OPENAI_API_KEY   ****CRET", show.Out);
        Assert.Contains("OPENAI_BASE_URL  env:BASE", show.Out);
        Assert.Contains("OPENAI_MODEL     gpt-4o", show.Out);

        var list = _cli.Run("preset", "list");
        Ok(list);
        Assert.Matches(@"Name\s+VariableCount\s+Tags\s+Description", list.Out);
        Assert.Matches(@"openai\s+3\s+work, fast\s+OpenAI direct", list.Out);

        var json = _cli.Run("preset", "list", "--output-format", "json");
        Ok(json);
        var item = JsonDocument.Parse(json.Out).RootElement[0];
        Assert.Equal("openai", item.GetProperty("name").GetString());
        Assert.Equal("****CRET", item.GetProperty("variables").GetProperty("OPENAI_API_KEY").GetString());

        var csv = _cli.Run("preset", "show", "openai", "--output-format", "csv");
        Ok(csv);
        Assert.StartsWith("Name,VariableCount,Tags,Description,CreatedAt,UpdatedAt,Source", csv.Out);

        foreach (var output in new[] { show, list, json, csv })
        {
            Assert.DoesNotContain(Secret, output.Out + output.Err);
        }

        Assert.Contains(Secret, File.ReadAllText(_cli.PresetFile("openai")));
    }

    [Fact]
    public void List_takes_a_wildcard_pattern()
    {
        Ok(_cli.Run("preset", "add", "gpt4", "A=1"));
        Ok(_cli.Run("preset", "add", "kimi", "A=1"));
        var list = _cli.Run("preset", "list", "g*", "--output-format", "csv");
        Ok(list);
        Assert.Equal(["Name,VariableCount,Tags,Description", "gpt4,1,,"], list.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')));
    }

    [Fact]
    public void An_unknown_preset_suggests_the_closest_and_exits_not_found()
    {
        Ok(_cli.Run("preset", "add", "gpt4", "A=1"));
        var result = _cli.Run("preset", "show", "gpt5");
        Assert.Equal(3, result.Code);
        Assert.StartsWith("aiswitch: PresetNotFound (-40201): Preset 'gpt5' not found. Did you mean 'gpt4'?", result.Err);
        Assert.Empty(result.Out);
    }

    [Fact]
    public void A_pair_without_equals_is_refused_without_echoing_a_pasted_secret()
    {
        var result = _cli.Run("preset", "add", "p", Secret);
        Assert.Equal(4, result.Code);
        Assert.Contains("InvalidArgument", result.Err);
        Assert.Contains("is not NAME=VALUE", result.Err);
        Assert.DoesNotContain(Secret, result.Err);
        Assert.False(File.Exists(_cli.PresetFile("p")));
    }

    [Fact]
    public void Add_twice_is_already_exists_unless_forced()
    {
        Ok(_cli.Run("preset", "add", "p", "A=1"));
        var again = _cli.Run("preset", "add", "p", "A=2");
        Assert.Equal(6, again.Code);
        Assert.Contains("PresetAlreadyExists", again.Err);
        Ok(_cli.Run("preset", "add", "p", "A=2", "--force"));
        Assert.Contains("A  2", _cli.Run("preset", "show", "p").Out);
    }

    [Fact]
    public void Set_changes_only_what_is_given_and_remove_deletes()
    {
        Ok(_cli.Run("preset", "add", "p", "A=1", "B=2", "--description", "first", "--tags", "x,y"));
        Ok(_cli.Run("preset", "set", "p", "B=20", "C=a=b", "--remove", "A", "--description", "second"));

        var show = _cli.Run("preset", "show", "p").Out;
        Assert.Contains("Description : second", show);
        Assert.Contains("Tags        : x, y", show);
        Assert.DoesNotContain("  A  ", show);
        Assert.Contains("B  20", show);
        Assert.Contains("C  a=b", show);

        var missing = _cli.Run("preset", "set", "p", "--remove", "NOPE");
        Assert.Equal(4, missing.Code);

        var removed = _cli.Run("preset", "remove", "p");
        Ok(removed);
        Assert.Contains("Removed preset 'p'.", removed.Out);
        Assert.False(File.Exists(_cli.PresetFile("p")));
        Assert.Equal(3, _cli.Run("preset", "remove", "p").Code);
    }

    [Fact]
    public void List_reports_a_malformed_file_and_still_lists_the_rest()
    {
        Ok(_cli.Run("preset", "add", "good", "A=1"));
        File.WriteAllText(_cli.PresetFile("bad"), "variables:\n\tA: 1\n");

        var result = _cli.Run("preset", "list");

        Assert.Equal(5, result.Code);
        Assert.Contains("good", result.Out);
        Assert.Contains("aiswitch: PresetFileInvalid (-41204):", result.Err);
        Assert.Contains("bad.yaml' is invalid at line 2, column 1", result.Err);
    }

    [Fact]
    public void Import_reads_an_original_folder_and_skips_existing_presets_unless_forced()
    {
        var original = Path.Combine(_cli.Root, "original");
        Directory.CreateDirectory(original);
        File.WriteAllText(Path.Combine(original, "kimi.yaml"),
            $"created_at: '2025-09-21T08:00:00'\ndescription: Kimi\nname: kimi\ntags: []\nvariables:\n  ANTHROPIC_AUTH_TOKEN: {Secret}\n  ANTHROPIC_BASE_URL: https://api.moonshot.cn/anthropic\n");
        File.WriteAllText(Path.Combine(original, "glm.yaml"), "name: glm\nvariables:\n  API_MODEL: glm-4\n");

        var first = _cli.Run("preset", "import", "--path", original, "--output-format", "json");
        Ok(first);
        var statuses = JsonDocument.Parse(first.Out).RootElement.EnumerateArray().Select(r => (r.GetProperty("name").GetString(), r.GetProperty("status").GetString()));
        Assert.Equal([("glm", "imported"), ("kimi", "imported")], statuses);

        var second = _cli.Run("preset", "import", "--path", original);
        Ok(second);
        Assert.Matches(@"kimi\s+Skipped\s+2", second.Out);
        Assert.Contains("aiswitch: warning: Preset 'kimi' exists already", second.Err);

        var forced = _cli.Run("preset", "import", "--path", original, "--force");
        Assert.Matches(@"kimi\s+Replaced\s+2", forced.Out);
        Assert.DoesNotContain(Secret, first.Out + second.Out + second.Err + forced.Out);
        Assert.Contains("****CRET", _cli.Run("preset", "show", "kimi").Out);
    }

    [Fact]
    public void Import_from_a_missing_folder_exits_not_found()
    {
        var result = _cli.Run("preset", "import", "--path", Path.Combine(_cli.Root, "nowhere"));
        Assert.Equal(3, result.Code);
        Assert.Contains("PresetImportSourceNotFound", result.Err);
    }
}
