using AiSwitch.Protocol;
using Xunit;

namespace AiSwitch.Core.Tests.Protocol;

public sealed class ProtocolVersionTests
{
    private static ProtocolVersion V(string text) => ProtocolVersion.Parse(text);

    [Theory]
    [InlineData("1.0.0", "1.0.0", "1.0.0")]
    [InlineData("1.2.0", "1.0.3", "1.0.3")]
    [InlineData("1.0.0", "1.4.1", "1.0.0")]
    public void The_same_major_agrees_on_the_older_sides_newest_version(string ours, string theirs, string expected)
    {
        Assert.Equal(V(expected), ProtocolVersion.Negotiate([V(ours)], [V(theirs)]));
    }

    [Fact]
    public void The_highest_major_both_sides_know_wins()
    {
        var agreed = ProtocolVersion.Negotiate([V("1.3.0"), V("2.1.0")], [V("1.9.0"), V("2.0.5"), V("3.0.0")]);

        Assert.Equal(V("2.0.5"), agreed);
    }

    [Fact]
    public void No_shared_major_is_a_version_mismatch_naming_both_sides()
    {
        var error = Assert.Throws<AiSwitchException>(() => ProtocolVersion.Negotiate([V("1.0.0")], [V("2.0.0")], "agent 'claude'"));

        Assert.Equal(ErrorId.ProtocolVersionMismatch, error.Id);
        Assert.Equal(-41505, error.Code);
        Assert.Contains("agent 'claude' speaks 2.0.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("1.0.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("1.x", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Initialize_params_offer_their_version_and_any_others()
    {
        var offer = new InitializeParams { AgentId = "a", ProtocolVersion = "2.0.0", SupportedVersions = ["1.1.0"] };

        Assert.Equal(V("1.0.0"), ProtocolVersion.Negotiate(offer, [ProtocolVersion.Current]));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.0")]
    [InlineData("10.20.30")]
    public void Short_and_long_forms_parse(string text)
    {
        Assert.True(ProtocolVersion.TryParse(text, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1.0.0")]
    [InlineData("1.0.0.0")]
    [InlineData("1.-1.0")]
    [InlineData("1..0")]
    public void Malformed_versions_are_invalid_params(string? text)
    {
        Assert.False(ProtocolVersion.TryParse(text, out _));
        Assert.Equal(ErrorId.RpcInvalidParams, Assert.Throws<AiSwitchException>(() => ProtocolVersion.Parse(text)).Id);
    }
}
