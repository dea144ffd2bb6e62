using AiSwitch.Core.Home;
using AiSwitch.Core.Environments;
using AiSwitch.Core.Presets;
using Xunit;

namespace AiSwitch.Core.Tests.Presets;

public sealed class ReferenceResolverTests : IDisposable
{
    private const string Secret = "sk-test-SECRET-VALUE-0001";
    private readonly TempPresetHome _home = new();
    private readonly InMemoryEnvironment _environment = new([new("MY_KEY", Secret)]);

    public void Dispose() => _home.Dispose();

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_home.Root, name);
        Directory.CreateDirectory(_home.Root);
        File.WriteAllText(path, content);
        return path;
    }

    private static AiSwitchException Unresolved(Action action)
    {
        var error = Assert.Throws<AiSwitchException>(action);
        Assert.Equal(ErrorId.ReferenceUnresolved, error.Id);
        Assert.DoesNotContain(Secret, error.Message);
        return error;
    }

    [Fact]
    public void A_literal_comes_back_unchanged()
        => Assert.Equal("https://x", new ReferenceResolver(_environment).Resolve("p", "URL", "https://x"));

    [Fact]
    public void Env_reads_the_given_environment()
        => Assert.Equal(Secret, new ReferenceResolver(_environment).Resolve("p", "OPENAI_API_KEY", "env:MY_KEY"));

    [Fact]
    public void A_missing_environment_variable_names_preset_variable_and_reference()
    {
        var error = Unresolved(() => new ReferenceResolver(_environment).Resolve("work", "OPENAI_API_KEY", "env:NOT_SET_ANYWHERE"));
        Assert.Contains("'work'", error.Message);
        Assert.Contains("OPENAI_API_KEY", error.Message);
        Assert.Contains("env:NOT_SET_ANYWHERE", error.Message);
        Assert.Contains("Set-AiPreset", error.Message);
        Assert.Equal("work", error.Target);
        Assert.Equal("OPENAI_API_KEY", error.Details!["variable"]);
    }

    [Theory]
    [InlineData(Secret + "\n")]
    [InlineData(Secret + "\r\n")]
    [InlineData(Secret + "\n\n")]
    [InlineData("\uFEFF" + Secret + "\n")]
    public void File_reads_the_content_without_the_trailing_newline(string content)
    {
        var path = WriteFile("key.txt", content);
        Assert.Equal(Secret, new ReferenceResolver(_environment).Resolve("p", "API_KEY", "file:" + path));
    }

    [Fact]
    public void File_keeps_inner_newlines_and_spaces()
    {
        var path = WriteFile("pem.txt", "  line1\nline2  \n");
        Assert.Equal("  line1\nline2  ", new ReferenceResolver(_environment).Resolve("p", "PEM", "file:" + path));
    }

    [Fact]
    public void A_missing_file_is_unresolved_naming_the_path()
    {
        var missing = Path.Combine(_home.Root, "nope.txt");
        var error = Unresolved(() => new ReferenceResolver(_environment).Resolve("p", "API_KEY", "file:" + missing));
        Assert.Contains(missing, error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void A_file_too_large_for_a_variable_is_refused()
    {
        var path = WriteFile("big.txt", new string('x', ReferenceResolver.MaxFileBytes + 1));
        var error = Unresolved(() => new ReferenceResolver(_environment).Resolve("p", "API_KEY", "file:" + path));
        Assert.Contains("more than", error.Message);
    }

    [Fact]
    public void Tilde_expands_to_the_profile_folder()
    {
        var profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.GetFullPath(Path.Combine(profile, ".keys", "k")), ReferenceResolver.ExpandPath("~/.keys/k"));
        Assert.Equal(Path.GetFullPath(profile), ReferenceResolver.ExpandPath("~"));
    }

    [Fact]
    public void Secret_without_a_lookup_says_powershell_is_needed()
    {
        var error = Unresolved(() => new ReferenceResolver(_environment).Resolve("p", "API_KEY", "secret:OpenAI"));
        Assert.Contains("Use-AiPreset", error.Message);
    }

    [Fact]
    public void Secret_goes_through_the_lookup_with_vault_and_name()
    {
        var asked = new List<string>();
        var resolver = new ReferenceResolver(_environment, name => { asked.Add(name); return name == "Work/OpenAI" ? Secret : null; });
        Assert.Equal(Secret, resolver.Resolve("p", "API_KEY", "secret:Work/OpenAI"));
        Assert.Equal(["Work/OpenAI"], asked);
        Assert.Equal((null, "OpenAI"), PresetReference.SplitSecret("OpenAI"));
        Assert.Equal(("Work", "OpenAI"), PresetReference.SplitSecret("Work/OpenAI"));
    }

    [Fact]
    public void A_secret_that_is_not_found_or_fails_is_unresolved()
    {
        Unresolved(() => new ReferenceResolver(_environment, _ => null).Resolve("p", "API_KEY", "secret:Missing"));
        var error = Unresolved(() => new ReferenceResolver(_environment, _ => throw new InvalidOperationException("vault locked " + Secret)).Resolve("p", "API_KEY", "secret:Locked"));
        Assert.Contains("Unlock-SecretVault", error.Message);
    }

    [Theory]
    [InlineData("env:")]
    [InlineData("env:1BAD")]
    [InlineData("env:A-B")]
    [InlineData("file:")]
    [InlineData("file:   ")]
    [InlineData("secret:")]
    [InlineData("secret:vault/")]
    [InlineData("secret:/name")]
    [InlineData("secret:a/b/c")]
    public void Malformed_references_are_refused_when_stored(string reference)
    {
        var error = Assert.Throws<AiSwitchException>(() => _home.Store.Create(_home.NewRequest("p", ("API_KEY", reference))));
        Assert.Equal(ErrorId.InvalidArgument, error.Id);
        Assert.Contains("malformed", error.Message);
        Assert.False(File.Exists(_home.Store.PathFor("p")));
    }

    [Fact]
    public void Resolving_a_preset_applies_overrides_and_resolves_everything()
    {
        var keyFile = WriteFile("gemini.txt", "gem-secret\n");
        var preset = new PresetDefinition
        {
            Name = "mix",
            SourcePath = "/x",
            Variables = new Dictionary<string, string>
            {
                ["OPENAI_API_KEY"] = "env:MY_KEY",
                ["GEMINI_API_KEY"] = "file:" + keyFile,
                ["MODEL"] = "gpt-4o",
            },
        };

        var resolved = PresetResolver.Resolve(preset, new ReferenceResolver(_environment),
            new Dictionary<string, string> { ["MODEL"] = "gpt-5", ["EXTRA"] = "env:MY_KEY" });

        Assert.Equal(Secret, resolved["OPENAI_API_KEY"]);
        Assert.Equal("gem-secret", resolved["GEMINI_API_KEY"]);
        Assert.Equal("gpt-5", resolved["MODEL"]);
        Assert.Equal(Secret, resolved["EXTRA"]);
        Assert.Equal(4, resolved.Count);
    }

    [Fact]
    public void Resolving_a_preset_is_all_or_nothing_and_names_every_failure()
    {
        var preset = new PresetDefinition
        {
            Name = "broken",
            SourcePath = "/x",
            Variables = new Dictionary<string, string>
            {
                ["GOOD"] = "env:MY_KEY",
                ["BAD_ENV"] = "env:MISSING_ONE",
                ["BAD_FILE"] = "file:" + Path.Combine(_home.Root, "missing"),
            },
        };

        var error = Unresolved(() => PresetResolver.Resolve(preset, new ReferenceResolver(_environment)));
        Assert.Contains("2 references", error.Message);
        Assert.Contains("BAD_ENV", error.Message);
        Assert.Contains("BAD_FILE", error.Message);
        Assert.Contains("nothing was applied", error.Message);
    }

    [Fact]
    public void An_invalid_override_name_is_refused()
    {
        var preset = new PresetDefinition { Name = "p", SourcePath = "/x", Variables = new Dictionary<string, string>() };
        var error = Assert.Throws<AiSwitchException>(() => PresetResolver.Resolve(preset, new ReferenceResolver(_environment), new Dictionary<string, string> { ["NOT VALID"] = "x" }));
        Assert.Equal(ErrorId.InvalidVariableName, error.Id);
    }
}
