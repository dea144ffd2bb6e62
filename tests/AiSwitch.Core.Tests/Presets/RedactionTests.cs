using AiSwitch.Core.Presets;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AiSwitch.Core.Tests.Presets;

public sealed class RedactionTests
{
    [Theory]
    [InlineData("OPENAI_API_KEY", true)]
    [InlineData("anthropic_auth_token", true)]
    [InlineData("GITHUB_TOKEN", true)]
    [InlineData("DB_PASSWORD", true)]
    [InlineData("MYSQL_PASSWD", true)]
    [InlineData("CLIENT_SECRET", true)]
    [InlineData("GOOGLE_APPLICATION_CREDENTIALS", true)]
    [InlineData("SSH_PRIVATE_PATH", true)]
    [InlineData("ANTHROPIC_BASE_URL", false)]
    [InlineData("OPENAI_MODEL", false)]
    [InlineData("HTTP_PROXY", false)]
    public void IsSensitive_goes_by_the_variable_name_case_insensitively(string name, bool sensitive)
        => Assert.Equal(sensitive, Redaction.IsSensitive(name));

    [Theory]
    [InlineData("sk-ant-api03-abcdefghijklmnop", "****mnop")]
    [InlineData("123456789", "****6789")]
    [InlineData("12345678", "****")]
    [InlineData("abc", "****")]
    [InlineData("", "")]
    public void Redact_shows_at_most_the_last_four_characters_of_a_sensitive_value(string value, string shown)
        => Assert.Equal(shown, Redaction.Redact("API_KEY", value));

    [Fact]
    public void Redact_leaves_plain_settings_alone()
        => Assert.Equal("https://api.example.com/v1", Redaction.Redact("OPENAI_BASE_URL", "https://api.example.com/v1"));

    [Theory]
    [InlineData("sk-proj-0123456789abcdef")]
    [InlineData("ghp_0123456789abcdefghij")]
    [InlineData("AIzaSyA-0123456789abcdef")]
    public void Redact_hides_a_value_that_looks_like_a_key_whatever_its_variable_is_called(string value)
        => Assert.Equal("****" + value[^4..], Redaction.Redact("OPENAI_BASE", value));

    [Fact]
    public void Redact_never_returns_more_than_the_last_four_characters_of_a_sensitive_value()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<NonNull<string>>(), wrapped =>
        {
            var value = wrapped.Get;
            var shown = Redaction.Redact("SERVICE_TOKEN", value);
            if (value.Length == 0)
            {
                return shown.Length == 0;
            }

            var tail = shown.StartsWith(Redaction.Mask, StringComparison.Ordinal) ? shown[Redaction.Mask.Length..] : null;
            return tail is not null
                && tail.Length <= 4
                && value.EndsWith(tail, StringComparison.Ordinal)
                && (value.Length > 8 || tail.Length == 0);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void RedactText_removes_every_secret_from_free_text_longest_first()
    {
        var text = "failed with key sk-abcdef123456 (prefix sk-abc) and token t0k3n-xyz";
        var scrubbed = Redaction.RedactText(text, ["sk-abc", "sk-abcdef123456", "t0k3n-xyz", ""]);
        Assert.Equal("failed with key **** (prefix ****) and token ****", scrubbed);
    }

    [Fact]
    public void Preset_view_redacts_literals_and_shows_references_as_written()
    {
        var preset = new PresetDefinition
        {
            Name = "p",
            SourcePath = "/x/p.yaml",
            Variables = new Dictionary<string, string>
            {
                ["OPENAI_API_KEY"] = "sk-live-0123456789abcdefWXYZ",
                ["ANTHROPIC_AUTH_TOKEN"] = "env:MY_TOKEN",
                ["GEMINI_API_KEY"] = "file:~/.keys/gemini",
                ["OPENAI_BASE_URL"] = "https://api.openai.com/v1",
            },
        }.ToPreset();

        Assert.Equal(4, preset.VariableCount);
        Assert.Equal("****WXYZ", preset.Variables["OPENAI_API_KEY"]);
        Assert.Equal("env:MY_TOKEN", preset.Variables["ANTHROPIC_AUTH_TOKEN"]);
        Assert.Equal("file:~/.keys/gemini", preset.Variables["GEMINI_API_KEY"]);
        Assert.Equal("https://api.openai.com/v1", preset.Variables["OPENAI_BASE_URL"]);
        Assert.Equal(["ANTHROPIC_AUTH_TOKEN", "GEMINI_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL"], preset.Variables.Keys);
    }

    [Fact]
    public void A_command_line_masks_keys_given_as_values_after_flags_or_in_assignments_and_shortens_a_prompt()
    {
        var prompt = new string('p', 200);
        var shown = Redaction.CommandLine("/usr/bin/agent", ["--api-key", "plain-looking-value-1234", "--token=abcdefghijkl5678", "API_KEY=zzzzzzzzzz9999",
            "sk-live-0123456789abcdef", "-p", prompt, "two words"]);

        Assert.Equal("/usr/bin/agent --api-key ****1234 --token=****5678 API_KEY=****9999 ****cdef -p " + new string('p', 117) + "... 'two words'", shown);
    }
}
