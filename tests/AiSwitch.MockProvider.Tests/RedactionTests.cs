namespace AiSwitch.MockProvider.Tests;

public sealed class RedactionTests
{
    [Theory]
    [InlineData("sk-ant-api03-abcdefgh1234", "***1234")]
    [InlineData("Bearer sk-proj-0123456789wxyz", "Bearer ***wxyz")]
    [InlineData("short-key", "***")]
    [InlineData("Bearer x", "Bearer ***")]
    public void SecretsKeepAtMostTheirLastFourCharacters(string value, string expected) =>
        Assert.Equal(expected, Redaction.RedactValue(value));

    [Fact]
    public void GeminiKeyInTheQueryIsRedactedAndOtherParametersKept() =>
        Assert.Equal("?alt=sse&key=***6789", Redaction.RedactQuery("?alt=sse&key=AIzaSyD-0123456789"));

    [Theory]
    [InlineData("x-api-key")]
    [InlineData("Authorization")]
    [InlineData("X-Goog-Api-Key")]
    [InlineData("api-key")]
    public void CredentialHeadersAreSecret(string name) => Assert.True(Redaction.IsSecretHeader(name));
}
