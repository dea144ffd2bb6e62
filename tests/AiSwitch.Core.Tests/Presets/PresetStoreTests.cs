using AiSwitch.Core.Home;
using AiSwitch.Core.Presets;
using Xunit;

namespace AiSwitch.Core.Tests.Presets;

public sealed class PresetStoreTests : IDisposable
{
    private readonly TempPresetHome _home = new();

    public void Dispose() => _home.Dispose();

    private PresetStore Store => _home.Store;

    [Fact]
    public void Create_then_get_returns_the_preset_with_redacted_values_and_times()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var store = new PresetStore(_home.Home, clock);

        var created = store.Create(new NewPresetRequest
        {
            Name = "openai",
            Description = "OpenAI direct",
            Tags = ["work", "fast,cheap", " work "],
            Variables = new Dictionary<string, string> { ["OPENAI_API_KEY"] = "sk-abcdefghijklmnop1234", ["OPENAI_MODEL"] = "gpt-4o" },
        });

        var read = store.Get("openai");
        Assert.Equal("openai", read.Name);
        Assert.Equal("OpenAI direct", read.Description);
        Assert.Equal(["work", "fast", "cheap"], read.Tags);
        Assert.Equal(2, read.VariableCount);
        Assert.Equal("****1234", read.Variables["OPENAI_API_KEY"]);
        Assert.Equal("gpt-4o", read.Variables["OPENAI_MODEL"]);
        Assert.Equal(clock.Now, read.CreatedAt);
        Assert.Equal(clock.Now, read.UpdatedAt);
        Assert.Equal(store.PathFor("openai"), read.Source);
        Assert.Equal(created.Variables, read.Variables);
        Assert.Equal("sk-abcdefghijklmnop1234", store.GetDefinition("openai").Variables["OPENAI_API_KEY"]);
    }

    [Fact]
    public void Preset_files_are_private_to_the_user()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Store.Create(_home.NewRequest("p", ("A", "1")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Store.PathFor("p")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Store.Directory));
    }

    [Fact]
    public void Create_refuses_an_existing_name_unless_forced()
    {
        Store.Create(_home.NewRequest("p", ("A", "1")));
        var error = Assert.Throws<AiSwitchException>(() => Store.Create(_home.NewRequest("p", ("B", "2"))));
        Assert.Equal((ErrorId.PresetAlreadyExists, -41201), (error.Id, error.Code)); // not -40403, a configuration error
        Assert.Contains("Set-AiPreset", error.Message);
        Assert.Contains("-Force", error.Message);

        var replaced = Store.Create(new NewPresetRequest { Name = "p", Variables = new Dictionary<string, string> { ["B"] = "2" }, Force = true });
        Assert.Equal(["B"], replaced.Variables.Keys);
    }

    [Fact]
    public void Create_refuses_a_name_that_differs_only_in_case()
    {
        Store.Create(_home.NewRequest("Work", ("A", "1")));
        var error = Assert.Throws<AiSwitchException>(() => Store.Create(_home.NewRequest("work", ("A", "1"))));
        Assert.Equal(ErrorId.PresetAlreadyExists, error.Id);
        Assert.Contains("only in letter case", error.Message);
        var forced = Assert.Throws<AiSwitchException>(() => Store.Create(new NewPresetRequest { Name = "work", Variables = new Dictionary<string, string>(), Force = true }));
        Assert.Equal(ErrorId.PresetAlreadyExists, forced.Id);
        Assert.Equal(["Work"], Store.ListNames());
    }

    [Fact]
    public void Force_repairs_a_malformed_file()
    {
        _home.WritePresetFile("p", "variables: [\n");
        Store.Create(new NewPresetRequest { Name = "p", Variables = new Dictionary<string, string> { ["A"] = "1" }, Force = true });
        Assert.Equal("1", Store.GetDefinition("p").Variables["A"]);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("CON")]
    [InlineData("")]
    public void Create_refuses_unsafe_names_and_writes_nothing(string name)
    {
        var error = Assert.Throws<AiSwitchException>(() => Store.Create(_home.NewRequest(name, ("A", "1"))));
        Assert.Equal(ErrorId.InvalidPresetName, error.Id);
        Assert.False(Directory.Exists(Store.Directory) && Directory.EnumerateFiles(Store.Directory, "*.yaml").Any());
    }

    [Fact]
    public void Create_refuses_invalid_variable_names_and_nul_values()
    {
        Assert.Equal(ErrorId.InvalidVariableName, Assert.Throws<AiSwitchException>(() => Store.Create(_home.NewRequest("p", ("BAD-NAME", "1")))).Id);
        Assert.Equal(ErrorId.InvalidArgument, Assert.Throws<AiSwitchException>(() => Store.Create(_home.NewRequest("p", ("A", "x\0y")))).Id);
        Assert.False(File.Exists(Store.PathFor("p")));
    }

    [Fact]
    public void List_is_sorted_and_filters_by_wildcard()
    {
        foreach (var name in new[] { "kimi", "gpt4", "claude-sonnet", "GPT-4o", "claude-opus" })
        {
            Store.Create(_home.NewRequest(name, ("A", "1")));
        }

        Assert.Equal(["claude-opus", "claude-sonnet", "GPT-4o", "gpt4", "kimi"], Store.List().Select(p => p.Name));
        Assert.Equal(["GPT-4o", "gpt4"], Store.List("gpt*").Select(p => p.Name));
        Assert.Equal(["claude-opus"], Store.List("claude-o*").Select(p => p.Name));
        Assert.Empty(Store.List("none*"));
        Assert.Equal(["claude-opus", "claude-sonnet", "GPT-4o", "gpt4", "kimi"], Store.ListNames());
    }

    [Fact]
    public void List_on_a_fresh_home_is_empty()
    {
        Assert.Empty(Store.List());
        Assert.Empty(Store.ListNames());
    }

    [Fact]
    public void A_malformed_file_is_reported_and_the_others_are_still_listed()
    {
        Store.Create(_home.NewRequest("alpha", ("A", "1")));
        _home.WritePresetFile("broken", "variables:\n  A: \"unterminated\n");
        _home.WritePresetFile("bad name", "variables: {}\n");
        Store.Create(_home.NewRequest("zeta", ("A", "1")));
        var context = new RecordingContext();

        var listed = Store.List(context: context);

        Assert.Equal(["alpha", "zeta"], listed.Select(p => p.Name));
        Assert.Equal(2, context.Errors.Count);
        Assert.Contains(context.Errors, e => e.Id == ErrorId.PresetFileInvalid && e.Message.Contains("broken.yaml") && e.Details!["line"] == "2");
        Assert.Contains(context.Errors, e => e.Id == ErrorId.InvalidPresetName && e.Message.Contains("bad name.yaml"));
    }

    [Fact]
    public void Get_of_an_unknown_preset_suggests_the_closest_names_and_how_to_create_one()
    {
        Store.Create(_home.NewRequest("gpt4", ("A", "1")));
        Store.Create(_home.NewRequest("kimi", ("A", "1")));

        var error = Assert.Throws<AiSwitchException>(() => Store.Get("gpt5"));

        Assert.Equal(ErrorId.PresetNotFound, error.Id);
        Assert.Equal(-40201, error.Code);
        Assert.Equal("gpt5", error.Target);
        Assert.Contains("Preset 'gpt5' not found.", error.Message);
        Assert.Contains("Did you mean 'gpt4'?", error.Message);
        Assert.Contains("New-AiPreset", error.Message);
        Assert.Contains("aiswitch preset add gpt5", error.Message);
    }

    [Fact]
    public void Get_of_a_name_far_from_all_lists_the_known_ones()
    {
        Store.Create(_home.NewRequest("gpt4", ("A", "1")));
        Store.Create(_home.NewRequest("kimi", ("A", "1")));
        var error = Assert.Throws<AiSwitchException>(() => Store.Get("completely-different"));
        Assert.Contains("Known presets: gpt4, kimi.", error.Message);
        var none = Assert.Throws<AiSwitchException>(() => new PresetStore(new AiSwitch.Core.Home.AiHome(Path.Combine(_home.Root, "empty"))).Get("x"));
        Assert.Contains("There are no presets yet.", none.Message);
    }

    [Fact]
    public void TryGet_is_false_for_missing_or_impossible_names()
    {
        Store.Create(_home.NewRequest("p", ("A", "1")));
        Assert.True(Store.TryGet("p", out var found));
        Assert.Equal("p", found!.Name);
        Assert.False(Store.TryGet("q", out var missing));
        Assert.Null(missing);
        Assert.False(Store.TryGet("../p", out _));
    }

    [Fact]
    public void Update_merges_removes_and_replaces_only_what_is_given()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var store = new PresetStore(_home.Home, clock);
        store.Create(new NewPresetRequest
        {
            Name = "p",
            Description = "before",
            Tags = ["t"],
            Variables = new Dictionary<string, string> { ["A"] = "1", ["B"] = "2", ["C"] = "3" },
        });
        var created = clock.Now;
        clock.Now = clock.Now.AddHours(1);

        var updated = store.Update(new SetPresetRequest
        {
            Name = "p",
            Variables = new Dictionary<string, string> { ["B"] = "20", ["D"] = "env:HOME" },
            RemoveVariables = ["C"],
        });

        var definition = store.GetDefinition("p");
        Assert.Equal(new Dictionary<string, string> { ["A"] = "1", ["B"] = "20", ["D"] = "env:HOME" }, definition.Variables);
        Assert.Equal("before", definition.Description);
        Assert.Equal(["t"], definition.Tags);
        Assert.Equal(created, definition.CreatedAt);
        Assert.Equal(clock.Now, definition.UpdatedAt);
        Assert.Equal(3, updated.VariableCount);

        store.Update(new SetPresetRequest { Name = "p", Description = "after", Tags = ["x", "y"] });
        Assert.Equal("after", store.Get("p").Description);
        Assert.Equal(["x", "y"], store.Get("p").Tags);
    }

    [Fact]
    public void Update_of_a_variable_that_is_not_there_fails_and_changes_nothing()
    {
        Store.Create(_home.NewRequest("p", ("A", "1")));
        var before = File.ReadAllText(Store.PathFor("p"));
        var error = Assert.Throws<AiSwitchException>(() => Store.Update(new SetPresetRequest { Name = "p", Variables = new Dictionary<string, string> { ["B"] = "2" }, RemoveVariables = ["NOPE"] }));
        Assert.Equal(ErrorId.InvalidArgument, error.Id);
        Assert.Contains("'NOPE'", error.Message);
        Assert.Equal(before, File.ReadAllText(Store.PathFor("p")));
    }

    [Fact]
    public void Update_of_an_unknown_preset_is_not_found_and_creates_nothing()
    {
        var error = Assert.Throws<AiSwitchException>(() => Store.Update(new SetPresetRequest { Name = "ghost", Description = "x" }));
        Assert.Equal(ErrorId.PresetNotFound, error.Id);
        Assert.False(File.Exists(Store.PathFor("ghost")));
    }

    [Fact]
    public void Update_refuses_to_overwrite_a_malformed_file()
    {
        _home.WritePresetFile("p", "variables: [\n");
        var error = Assert.Throws<AiSwitchException>(() => Store.Update(new SetPresetRequest { Name = "p", Description = "x" }));
        Assert.Equal(ErrorId.PresetFileInvalid, error.Id);
        Assert.Equal("variables: [\n", File.ReadAllText(Store.PathFor("p")));
    }

    [Fact]
    public void Remove_deletes_the_file_and_an_unknown_name_is_not_found()
    {
        Store.Create(_home.NewRequest("p", ("A", "1")));
        Store.Remove("p");
        Assert.False(File.Exists(Store.PathFor("p")));
        Assert.Equal(ErrorId.PresetNotFound, Assert.Throws<AiSwitchException>(() => Store.Remove("p")).Id);
    }

    [Fact]
    public async Task Concurrent_creates_and_updates_from_many_threads_lose_nothing()
    {
        const int Threads = 8;
        const int PerThread = 15;
        Store.Create(_home.NewRequest("shared", ("SEED", "0")));
        using var start = new Barrier(Threads);

        var workers = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            // Each thread has its own store, as separate sessions would.
            var store = new PresetStore(_home.Home);
            start.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                store.Create(_home.NewRequest($"t{t}-{i}", ("N", $"{t}.{i}")));
                store.Update(new SetPresetRequest { Name = "shared", Variables = new Dictionary<string, string> { [$"T{t}_{i}"] = $"{t}.{i}" } });
            }
        })).ToArray();
        await Task.WhenAll(workers);

        var shared = Store.GetDefinition("shared").Variables;
        Assert.Equal(1 + Threads * PerThread, shared.Count);
        for (var t = 0; t < Threads; t++)
        {
            for (var i = 0; i < PerThread; i++)
            {
                Assert.Equal($"{t}.{i}", shared[$"T{t}_{i}"]);
                Assert.Equal($"{t}.{i}", Store.GetDefinition($"t{t}-{i}").Variables["N"]);
            }
        }

        Assert.Equal(1 + Threads * PerThread, Store.ListNames().Count);
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
