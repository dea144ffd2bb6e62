namespace AiSwitch.MockProvider.Tests;

public sealed class MockRouteTests
{
    [Theory]
    [InlineData("POST", "/v1/messages", MockApi.AnthropicMessages, "", "")]
    [InlineData("POST", "/sess-42/v1/messages", MockApi.AnthropicMessages, "/sess-42", "")]
    [InlineData("POST", "/a/b/c/v1/messages/count_tokens", MockApi.AnthropicCountTokens, "/a/b/c", "")]
    [InlineData("POST", "/v1/responses", MockApi.OpenAiResponses, "", "")]
    [InlineData("POST", "/preset-x/v1/chat/completions", MockApi.OpenAiChatCompletions, "/preset-x", "")]
    [InlineData("POST", "/v1beta/models/gemini-2.5-flash:generateContent", MockApi.GeminiGenerateContent, "", "gemini-2.5-flash")]
    [InlineData("POST", "/sess-7/v1beta/models/m:streamGenerateContent", MockApi.GeminiStreamGenerateContent, "/sess-7", "m")]
    [InlineData("POST", "/proxy/v1/openai/v1/responses", MockApi.OpenAiResponses, "/proxy/v1/openai", "")]
    [InlineData("POST", "/x/v1/unknown", MockApi.Unknown, "/x", "")]
    [InlineData("GET", "/v1/messages", MockApi.Unknown, "", "")]
    [InlineData("POST", "/v1beta/models/m:countTokens", MockApi.Unknown, "", "")]
    [InlineData("HEAD", "/", MockApi.Head, "", "")]
    [InlineData("HEAD", "/sess-42/", MockApi.Head, "/sess-42", "")]
    public void PathsRouteToTheirApiAndKeepThePrefix(string method, string path, MockApi api, string prefix, string model) =>
        Assert.Equal(new MockRoute(api, prefix, model), MockRoute.Parse(method, path));

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("/", "")]
    [InlineData("sess-1", "/sess-1")]
    [InlineData("/sess-1/", "/sess-1")]
    public void PrefixesNormalizeToOneLeadingSlash(string? prefix, string expected) =>
        Assert.Equal(expected, MockRoute.NormalizePrefix(prefix));
}
