using AiSwitch.Core.Agents.Adapters;

namespace AiSwitch.Core.Tests.Agents.Adapters;

public sealed class AdapterArgumentsTests
{
    [Fact]
    public void ClaudeOneShotRunsPrintModeWithStreamJsonAndTheOptionalFlags()
    {
        Assert.Equal(["-p", "--output-format", "stream-json", "--verbose"], ClaudeCodeAdapter.OneShotArguments(null, null, null));
        Assert.Equal(["-p", "--output-format", "stream-json", "--verbose", "--model", "sonnet", "--append-system-prompt", "be brief", "--resume", "s-1"],
            ClaudeCodeAdapter.OneShotArguments("sonnet", "be brief", "s-1"));
        Assert.Equal(["-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose"], ClaudeCodeAdapter.LongLivedArguments(null));
    }

    [Fact]
    public void ClaudeUserLineIsOneJsonLineWithTheSystemPromptFirst()
    {
        var line = ClaudeCodeSession.UserLine("be brief", "say \"hi\"\nnow");
        Assert.DoesNotContain('\n', line);
        Assert.Equal("""{"type":"user","message":{"role":"user","content":"be brief\n\nsay \u0022hi\u0022\nnow"},"parent_tool_use_id":null,"session_id":""}""", line);
    }

    [Fact]
    public void CodexTurnsTheBaseUrlIntoACustomProviderWithQuietFlagsAndThePromptOnStdin()
    {
        var arguments = CodexAdapter.ExecArguments("http://127.0.0.1:5/p1", "OPENAI_API_KEY", "gpt-x", null, null);
        Assert.Equal([
            "exec", "--json", "--skip-git-repo-check",
            "-c", """model_providers.aiswitch={name="aiswitch",base_url="http://127.0.0.1:5/p1/v1",env_key="OPENAI_API_KEY",wire_api="responses",request_max_retries=0,stream_max_retries=0}""",
            "-c", "model_provider=aiswitch",
            "-c", "analytics.enabled=false", "--disable", "plugins", "--disable", "unbounded_connection_retries",
            "-m", "gpt-x", "-"], arguments);
    }

    [Fact]
    public void CodexWithoutABaseUrlKeepsItsProviderAndResumesAThread()
    {
        var arguments = CodexAdapter.ExecArguments(null, "OPENAI_API_KEY", null, "sys \"q\"", "t-1");
        Assert.DoesNotContain(arguments, a => a.StartsWith("model_provider", StringComparison.Ordinal));
        Assert.Equal(["-c", "developer_instructions=\"sys \\\"q\\\"\"", "resume", "t-1", "-"], arguments.TakeLast(5));
    }

    [Theory]
    [InlineData("https://api.example.com/v1", "https://api.example.com/v1")]
    [InlineData("https://api.example.com/v1/", "https://api.example.com/v1")]
    [InlineData("https://api.example.com", "https://api.example.com/v1")]
    [InlineData("http://127.0.0.1:9/sess-1", "http://127.0.0.1:9/sess-1/v1")]
    [InlineData("https://gw.example.com/openai/v1beta", "https://gw.example.com/openai/v1beta")]
    public void CodexProviderUrlEndsInAVersion(string given, string expected) => Assert.Equal(expected, CodexAdapter.ProviderBaseUrl(given));

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b\\c\nd", "\"a\\\"b\\\\c\\nd\"")]
    [InlineData("\u0001", "\"\\u0001\"")]
    public void TomlStringsAreEscaped(string value, string expected) => Assert.Equal(expected, CodexAdapter.Toml(value));

    [Fact]
    public void GeminiPassesThePromptAsOneArgumentAndAlwaysAModel()
    {
        Assert.Equal(["--prompt=-starts with a dash", "-o", "stream-json", "-m", "gemini-2.5-flash"],
            GeminiAdapter.Arguments("-starts with a dash", "gemini-2.5-flash", null));
        Assert.Equal(["--resume", "s-9"], GeminiAdapter.Arguments("p", "m", "s-9").TakeLast(2));
    }

    [Fact]
    public void GeminiSettingsGoToAPrivateHomeUnderTheAiSwitchHome()
    {
        var root = Directory.CreateTempSubdirectory("aiswitch-gemini-").FullName;
        try
        {
            var home = new AiSwitch.Core.Home.AiHome(root);
            var folder = GeminiAdapter.PrepareHome(home, "gem");

            Assert.Equal(Path.Combine(root, "tmp", "agents", "gem", "gemini-home"), folder);
            var settings = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, ".gemini", "settings.json"))).RootElement;
            Assert.Equal("gemini-api-key", settings.GetProperty("security").GetProperty("auth").GetProperty("selectedType").GetString());
            Assert.Equal(1, settings.GetProperty("general").GetProperty("maxAttempts").GetInt32());
            Assert.False(settings.GetProperty("telemetry").GetProperty("enabled").GetBoolean());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void TokenCountsSinceSubtractsAnEarlierFigureOfTheSameThreadAndKeepsTheWholeFigureOfANewOne()
    {
        var now = new TokenCounts(58, 14, 6, 2, 3);
        Assert.Equal(new TokenCounts(31, 4, 1, 0, 0), now.Since(new TokenCounts(27, 10, 5, 2, 3)));
        Assert.Equal(now, now.Since(new TokenCounts(60, 1, 1, 1, 1)));
    }
}
