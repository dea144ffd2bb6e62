using AiSwitch.Core.Presets;
using Xunit;

namespace AiSwitch.Core.Tests.Presets;

public sealed class PresetNamesTests
{
    [Theory]
    [InlineData("openai-gpt4")]
    [InlineData("kimi_k2")]
    [InlineData("claude.sonnet-4.5")]
    [InlineData("A")]
    [InlineData("console")]
    [InlineData("com10")]
    public void Safe_file_names_are_valid(string name)
    {
        Assert.True(PresetNames.IsValidName(name));
        PresetNames.ValidateName(name);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a/b", "path separator")]
    [InlineData("a\\b", "path separator")]
    [InlineData("..", "'..'")]
    [InlineData("a..b", "'..'")]
    [InlineData(".hidden", "starts or ends with '.'")]
    [InlineData("trailing.", "starts or ends with '.'")]
    [InlineData("has space", "character other than")]
    [InlineData("ünï", "character other than")]
    [InlineData("a:b", "character other than")]
    [InlineData("CON", "reserved device name")]
    [InlineData("nul", "reserved device name")]
    [InlineData("Com1.backup", "reserved device name")]
    [InlineData("lpt9", "reserved device name")]
    public void Unsafe_names_are_refused_with_the_reason(string name, string reason)
    {
        var error = Assert.Throws<AiSwitchException>(() => PresetNames.ValidateName(name));
        Assert.Equal(ErrorId.InvalidPresetName, error.Id);
        Assert.Contains(reason, error.Message);
        Assert.Contains($"'{name}'", error.Message);
    }

    [Fact]
    public void Names_are_at_most_64_characters()
    {
        PresetNames.ValidateName(new string('a', 64));
        var error = Assert.Throws<AiSwitchException>(() => PresetNames.ValidateName(new string('a', 65)));
        Assert.Contains("65 characters", error.Message);
    }

    [Theory]
    [InlineData("OPENAI_API_KEY", true)]
    [InlineData("_private", true)]
    [InlineData("a1", true)]
    [InlineData("1a", false)]
    [InlineData("A-B", false)]
    [InlineData("A B", false)]
    [InlineData("A=B", false)]
    [InlineData("", false)]
    [InlineData("ÄPFEL", false)]
    public void Variable_names_must_be_environment_names(string name, bool valid)
    {
        Assert.Equal(valid, PresetNames.IsValidVariableName(name));
        if (!valid)
        {
            var error = Assert.Throws<AiSwitchException>(() => PresetNames.ValidateVariableName(name, "p"));
            Assert.Equal(ErrorId.InvalidVariableName, error.Id);
        }
    }

    [Fact]
    public void A_key_pasted_as_a_name_is_not_echoed()
    {
        const string Pasted = "sk-proj-0123456789abcdefXYZW";
        var asVariable = Assert.Throws<AiSwitchException>(() => PresetNames.ValidateVariableName(Pasted, "p"));
        var asPreset = Assert.Throws<AiSwitchException>(() => PresetNames.ValidateName(Pasted + "/x"));
        var asPair = Assert.Throws<AiSwitchException>(() => VariableAssignments.Parse([Pasted]));
        foreach (var error in new[] { asVariable, asPreset, asPair })
        {
            Assert.DoesNotContain(Pasted, error.Message);
            Assert.Contains("****", error.Message);
        }
    }

    [Fact]
    public void Closest_names_come_closest_first_and_ignore_case()
    {
        string[] known = ["gpt4", "GPT-4o", "kimi", "claude-sonnet", "claude-opus", "deepseek"];
        Assert.Equal(["gpt4"], PresetNames.Closest("gpt5", known));
        Assert.Equal(["GPT-4o", "gpt4"], PresetNames.Closest("gpt-5", known));
        Assert.Equal(["claude-opus", "claude-sonnet"], PresetNames.Closest("claude", known));
        Assert.Equal(["deepseek"], PresetNames.Closest("DeepSeek", known));
        Assert.Empty(PresetNames.Closest("zzzzzzzz", known));
    }

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("abc", "", 3)]
    [InlineData("flaw", "lawn", 2)]
    public void EditDistance_is_levenshtein(string a, string b, int distance)
    {
        Assert.Equal(distance, PresetNames.EditDistance(a, b));
        Assert.Equal(distance, PresetNames.EditDistance(b, a));
    }
}
