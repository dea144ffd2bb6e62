using AiSwitch.Core.Home;
using AiSwitch.Core.Presets;
using Xunit;

namespace AiSwitch.Core.Tests.Presets;

public sealed class NamePatternTests
{
    [Theory]
    [InlineData("gpt*", "gpt4", true)]
    [InlineData("gpt*", "GPT-4o", true)]
    [InlineData("gpt*", "agpt", false)]
    [InlineData("*", "anything", true)]
    [InlineData("k?mi", "kimi", true)]
    [InlineData("k?mi", "kmi", false)]
    [InlineData("claude-[so]*", "claude-opus", true)]
    [InlineData("claude-[so]*", "claude-haiku", false)]
    [InlineData("v[0-9]", "v7", true)]
    [InlineData("v[0-9]", "vx", false)]
    [InlineData("a.b", "a.b", true)]
    [InlineData("a.b", "axb", false)]
    [InlineData("a`*", "a*", true)]
    [InlineData("a`*", "ab", false)]
    public void Matches_like_powershell_wildcards(string pattern, string name, bool matches)
        => Assert.Equal(matches, new NamePattern(pattern).IsMatch(name));

    [Theory]
    [InlineData("plain", false)]
    [InlineData("a*", true)]
    [InlineData("a?", true)]
    [InlineData("[ab]", true)]
    [InlineData(null, false)]
    public void HasWildcards(string? pattern, bool has) => Assert.Equal(has, NamePattern.HasWildcards(pattern));
}
