using System.Text;
using AiSwitch.Core.Presets;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AiSwitch.Core.Tests.Presets;

/// <summary>The preset file format, through the store as a user meets it: hand-written files, odd YAML, round trips.</summary>
public sealed class PresetYamlTests : IDisposable
{
    private readonly TempPresetHome _home = new();

    public void Dispose() => _home.Dispose();

    private PresetDefinition Load(string yaml, string name = "p")
    {
        _home.WritePresetFile(name, yaml);
        return _home.Store.GetDefinition(name);
    }

    private AiSwitchException LoadFails(string yaml, int line, int column, string name = "p")
    {
        _home.WritePresetFile(name, yaml);
        var error = Assert.Throws<AiSwitchException>(() => _home.Store.GetDefinition(name));
        Assert.Equal(ErrorId.PresetFileInvalid, error.Id);
        var path = _home.Store.PathFor(name);
        Assert.Contains($"'{path}'", error.Message);
        Assert.Contains($"line {line}, column {column}", error.Message);
        Assert.Equal(path, error.Details!["file"]);
        Assert.Equal(line.ToString(), error.Details["line"]);
        Assert.Equal(column.ToString(), error.Details["column"]);
        return error;
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("# just a comment\n# and another\n")]
    public void An_empty_or_comment_only_file_is_invalid_and_says_so(string yaml)
    {
        _home.WritePresetFile("p", yaml);
        var error = Assert.Throws<AiSwitchException>(() => _home.Store.GetDefinition("p"));
        Assert.Equal(ErrorId.PresetFileInvalid, error.Id);
        Assert.Contains("is empty", error.Message);
    }

    [Fact]
    public void A_tab_in_indentation_is_reported_at_the_tab()
        => LoadFails("name: p\nvariables:\n\tA: \"1\"\n", line: 3, column: 1);

    [Fact]
    public void A_tab_inside_a_quoted_value_is_kept()
        => Assert.Equal("a\tb", Load("variables:\n  A: \"a\\tb\"\n").Variables["A"]);

    [Fact]
    public void A_duplicate_variable_is_an_error_at_the_second_one()
    {
        var error = LoadFails("variables:\n  A: \"1\"\n  A: \"2\"\n", line: 3, column: 3);
        Assert.Contains("Duplicate key", error.Message);
    }

    [Fact]
    public void A_duplicate_top_level_key_is_an_error()
        => LoadFails("description: one\ndescription: two\nvariables: {}\n", line: 2, column: 1);

    [Fact]
    public void Numbers_booleans_and_dates_are_taken_as_written()
    {
        var variables = Load("variables:\n  PORT: 8080\n  DEBUG: true\n  RATIO: 1.50\n  MODE: 0755\n  HEX: 0x1F\n  DAY: 2024-01-02\n  OFF: no\n").Variables;
        Assert.Equal("8080", variables["PORT"]);
        Assert.Equal("true", variables["DEBUG"]);
        Assert.Equal("1.50", variables["RATIO"]);
        Assert.Equal("0755", variables["MODE"]);
        Assert.Equal("0x1F", variables["HEX"]);
        Assert.Equal("2024-01-02", variables["DAY"]);
        Assert.Equal("no", variables["OFF"]);
    }

    [Theory]
    [InlineData("A: null", 2, 6)]
    [InlineData("A: ~", 2, 6)]
    [InlineData("A:", 2, 5)]
    public void A_null_value_is_an_error_that_says_how_to_write_an_empty_one(string line, int at, int column)
    {
        var error = LoadFails("variables:\n  " + line + "\n", at, column);
        Assert.Contains("has no value", error.Message);
    }

    [Fact]
    public void Quoted_null_and_empty_are_text()
    {
        var variables = Load("variables:\n  A: \"null\"\n  B: ''\n  C: \"~\"\n").Variables;
        Assert.Equal(("null", "", "~"), (variables["A"], variables["B"], variables["C"]));
    }

    [Fact]
    public void A_list_as_a_value_is_an_error_at_the_value()
    {
        var error = LoadFails("variables:\n  A:\n    - 1\n    - 2\n", line: 3, column: 5);
        Assert.Contains("must be text", error.Message);
    }

    [Fact]
    public void Literal_and_folded_block_strings_are_read()
    {
        var variables = Load("variables:\n  PEM: |\n    -----BEGIN-----\n    abc\n    -----END-----\n  PROMPT: >\n    one\n    two\n").Variables;
        Assert.Equal("-----BEGIN-----\nabc\n-----END-----\n", variables["PEM"]);
        Assert.Equal("one two\n", variables["PROMPT"]);
    }

    [Fact]
    public void Unicode_names_descriptions_and_values_survive()
    {
        var preset = Load("description: \"通义千问 — 深度求索 🚀\"\nvariables:\n  MODEL: \"qwen-最大\"\n  GREETING: Grüße\n");
        Assert.Equal("通义千问 — 深度求索 🚀", preset.Description);
        Assert.Equal("qwen-最大", preset.Variables["MODEL"]);
        Assert.Equal("Grüße", preset.Variables["GREETING"]);
    }

    [Fact]
    public void A_very_long_value_round_trips()
    {
        var value = string.Concat(Enumerable.Repeat("0123456789abcdef", 20_000));
        _home.Store.Create(_home.NewRequest("long", ("BIG", value)));
        Assert.Equal(value, _home.Store.GetDefinition("long").Variables["BIG"]);
    }

    [Fact]
    public void A_byte_order_mark_is_accepted()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("variables:\n  A: \"1\"\n")).ToArray();
        _home.WriteBytes(_home.Store.PathFor("bom"), bytes);
        Assert.Equal("1", _home.Store.GetDefinition("bom").Variables["A"]);
    }

    [Fact]
    public void Crlf_line_endings_leave_no_carriage_return_in_values()
    {
        var preset = Load("description: windows\r\nvariables:\r\n  A: plain\r\n  B: \"quoted\"\r\n  C: |\r\n    block\r\n");
        Assert.Equal("windows", preset.Description);
        Assert.Equal("plain", preset.Variables["A"]);
        Assert.Equal("quoted", preset.Variables["B"]);
        Assert.Equal("block\n", preset.Variables["C"]);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_an_error_naming_the_file()
    {
        _home.WriteBytes(_home.Store.PathFor("latin"), [.. Encoding.ASCII.GetBytes("description: caf"), 0xE9, (byte)'\n']);
        var error = Assert.Throws<AiSwitchException>(() => _home.Store.GetDefinition("latin"));
        Assert.Equal(ErrorId.PresetFileInvalid, error.Id);
        Assert.Contains("not UTF-8", error.Message);
    }

    [Fact]
    public void A_syntax_error_gives_line_and_column()
    {
        var error = LoadFails("description: ok\nvariables:\n  A: \"unterminated\n", line: 3, column: 6);
        Assert.Contains("Fix the file", error.Message);
    }

    [Fact]
    public void An_invalid_variable_name_in_a_file_is_reported_at_the_key()
    {
        var error = LoadFails("variables:\n  OK: \"1\"\n  9BAD: \"2\"\n", line: 3, column: 3);
        Assert.Contains("'9BAD'", error.Message);
    }

    [Fact]
    public void The_file_name_wins_over_a_name_field_that_disagrees_and_listing_warns()
    {
        _home.WritePresetFile("actual", "name: other\nvariables:\n  A: \"1\"\n");
        var context = new RecordingContext();

        var listed = Assert.Single(_home.Store.List(context: context));

        Assert.Equal("actual", listed.Name);
        Assert.Equal("actual", _home.Store.Get("actual").Name);
        Assert.Contains(context.Warnings, w => w.Contains("'other'") && w.Contains("'actual'"));
    }

    [Fact]
    public void Unknown_fields_are_ignored_when_read_and_kept_when_rewritten()
    {
        _home.WritePresetFile("p", "variables:\n  A: \"1\"\nfavourite_colour: teal\nextra:\n  nested: [1, 2]\n");
        Assert.Equal("1", _home.Store.GetDefinition("p").Variables["A"]);

        _home.Store.Update(new SetPresetRequest { Name = "p", Description = "changed" });

        var text = File.ReadAllText(_home.Store.PathFor("p"));
        Assert.Contains("favourite_colour: teal", text);
        Assert.Contains("nested:", text);
        Assert.Equal("changed", _home.Store.GetDefinition("p").Description);
    }

    [Fact]
    public void Timestamps_are_read_as_iso_strings_with_or_without_offset_or_as_yaml_timestamps()
    {
        var withOffset = Load("created_at: '2025-03-04T05:06:07.123456+02:00'\nvariables: {}\n");
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 5, 6, 7, 123, TimeSpan.FromHours(2)).AddTicks(4560), withOffset.CreatedAt);

        // The original writes datetime.isoformat() in local time without an offset.
        var naive = Load("created_at: '2025-03-04T05:06:07.123456'\nvariables: {}\n");
        Assert.Equal(new DateTime(2025, 3, 4, 5, 6, 7, 123, DateTimeKind.Local).AddTicks(4560), naive.CreatedAt!.Value.LocalDateTime);

        var yamlTimestamp = Load("created_at: 2025-03-04 05:06:07Z\nupdated_at: 2025-03-05T00:00:00Z\nvariables: {}\n");
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero), yamlTimestamp.CreatedAt);
        Assert.Equal(new DateTimeOffset(2025, 3, 5, 0, 0, 0, TimeSpan.Zero), yamlTimestamp.UpdatedAt);
    }

    [Fact]
    public void An_unreadable_timestamp_is_an_error_at_the_value()
        => LoadFails("variables: {}\ncreated_at: last tuesday\n", line: 2, column: 13);

    [Fact]
    public void A_newer_schema_version_is_refused_and_the_file_left_alone()
    {
        var error = LoadFails("variables: {}\nschema_version: 99\n", line: 2, column: 17);
        Assert.Contains("update AiSwitch", error.Message);
    }

    [Fact]
    public void Tags_may_be_a_list_or_a_comma_separated_string_and_missing_fields_default()
    {
        Assert.Equal(["a", "b"], Load("tags: [a, b, a]\nvariables: {}\n").Tags);
        Assert.Equal(["x", "y"], Load("tags: 'x, y'\nvariables: {}\n").Tags);
        var bare = Load("description: only this\n");
        Assert.Empty(bare.Variables);
        Assert.Empty(bare.Tags);
        Assert.Null(bare.CreatedAt);
    }

    [Fact]
    public void The_top_level_must_be_a_mapping()
        => LoadFails("- a\n- b\n", line: 1, column: 1);

    [Fact]
    public void Written_files_read_back_identically_for_any_text_value()
    {
        // Values a YAML reader might retype or mangle if they were not quoted.
        string[] tricky = ["true", "null", "~", "0755", "1e3", "- item", "#comment", "key: value", "'single'", "\"double\"",
            " leading", "trailing ", "a\nb", "a\r\nb", "tab\there", "\\backslash", "emoji 🚀", "\u0085next line", "{braces}", "[brackets]", "*alias", "&anchor", "!tag", "%percent", "@at", "`tick`"];
        var variables = tricky.Select((v, i) => ($"V{i}", v)).ToArray();
        _home.Store.Create(_home.NewRequest("tricky", variables));
        var read = _home.Store.GetDefinition("tricky").Variables;
        foreach (var (name, value) in variables)
        {
            Assert.Equal(value, read[name]);
        }
    }

    [Fact]
    public void Any_string_without_nul_round_trips_through_a_preset_file()
    {
        var store = _home.Store;
        var counter = 0;
        Prop.ForAll(ArbMap.Default.ArbFor<NonNull<string>>(), wrapped =>
        {
            var value = wrapped.Get;
            if (value.Contains('\0') || !IsWellFormedUtf16(value))
            {
                return true;
            }

            var name = $"prop{Interlocked.Increment(ref counter)}";
            store.Create(new NewPresetRequest { Name = name, Variables = new Dictionary<string, string> { ["V"] = value }, Description = value });
            var read = store.GetDefinition(name);
            return read.Variables["V"] == value && read.Description == value;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Written_files_carry_the_original_fields_and_ours()
    {
        var created = _home.Store.Create(new NewPresetRequest
        {
            Name = "full",
            Description = "d",
            Tags = ["t1", "t2"],
            Variables = new Dictionary<string, string> { ["A"] = "1" },
        });
        var text = File.ReadAllText(created.Source);
        foreach (var field in new[] { "name: \"full\"", "description: \"d\"", "variables:", "A: \"1\"", "tags:", "- \"t1\"", "created_at: ", "updated_at: ", "schema_version: 1" })
        {
            Assert.Contains(field, text);
        }

        Assert.DoesNotContain("...", text);
    }

    private static bool IsWellFormedUtf16(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }
}
