using System.Text;
using AiSwitch.Core.Home;

namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// Gemini CLI (agent-clis.md §3): <c>gemini --prompt=… -o stream-json -m MODEL</c>, one process per task. Its settings
/// live in a private HOME under the home's tmp/ (<c>.gemini/settings.json</c>: API-key auth, no telemetry, no update
/// checks, one attempt per request), never the user's ~/.gemini. The base URL and key come from the preset's
/// GOOGLE_GEMINI_BASE_URL and GEMINI_API_KEY. Gemini reports tokens only; no cost.
/// </summary>
internal sealed class GeminiAdapter : CliAgentAdapter
{
    /// <summary>The model when neither the agent nor the preset names one: without <c>-m</c> Gemini CLI adds a routing call per prompt.</summary>
    public const string FallbackModel = "gemini-2.5-flash";

    /// <summary>The settings file written to the private HOME (agent-clis.md §3.1).</summary>
    public const string SettingsJson = """
        {
          "security": { "auth": { "selectedType": "gemini-api-key" } },
          "privacy": { "usageStatisticsEnabled": false },
          "telemetry": { "enabled": false },
          "general": { "enableAutoUpdate": false, "enableAutoUpdateNotification": false, "maxAttempts": 1 }
        }
        """;

    public override string Name => AdapterNames.Gemini;

    public override string DefaultCommand => "gemini";

    /// <summary>Trust the working folder (headless mode refuses an untrusted one) and keep one process (no self-relaunch).</summary>
    public override IReadOnlyDictionary<string, string> QuietSettings { get; } = new Dictionary<string, string>
    {
        ["GEMINI_CLI_TRUST_WORKSPACE"] = "true",
        ["GEMINI_CLI_NO_RELAUNCH"] = "true",
    };

    protected internal override string DisplayName => "Gemini CLI";

    protected internal override string InstallHint => "install it with npm install -g @google/gemini-cli";

    protected internal override string ProtocolName => "stream-json events (gemini -o stream-json)";

    public override Task<AgentRunResult> RunAsync(AgentInvocation invocation, IAgentRunObserver observer, CancellationToken cancellationToken)
    {
        var home = PrepareHome(invocation.Home, invocation.Agent.Name);
        var model = invocation.Model ?? Variable(invocation, "GEMINI_MODEL") ?? FallbackModel;
        var arguments = Arguments(PromptWithSystem(invocation), model, ResumeSessionOf(invocation.Task));
        var environment = EnvironmentOf(invocation.Environment, [new("HOME", home), new("USERPROFILE", home)]);
        return RunProcessAsync(invocation, arguments, environment, stdinText: null, new GeminiStreamParser(), observer, cancellationToken);
    }

    /// <summary>The arguments of one task. <c>--prompt=</c> keeps a prompt that starts with '-' a prompt.</summary>
    public static IReadOnlyList<string> Arguments(string prompt, string model, string? resumeSessionId)
    {
        List<string> arguments = [$"--prompt={prompt}", "-o", "stream-json", "-m", model];
        if (resumeSessionId is not null)
        {
            arguments.AddRange(["--resume", resumeSessionId]);
        }

        return arguments;
    }

    /// <summary>The private HOME (tmp/agents/&lt;agent&gt;/gemini-home) with its settings file written afresh.</summary>
    public static string PrepareHome(AiHome home, string agentName)
    {
        var folder = PrivateFolder(home, agentName, "gemini-home");
        var settings = home.Ensure(Path.Combine(folder, ".gemini"));
        AtomicFile.Write(Path.Combine(settings, "settings.json"), Encoding.UTF8.GetBytes(SettingsJson), durable: false);
        return folder;
    }

    /// <summary>Gemini CLI has no flag for a system prompt in headless mode: it goes before the prompt.</summary>
    private static string PromptWithSystem(AgentInvocation invocation) =>
        string.IsNullOrWhiteSpace(invocation.Task.SystemPrompt) ? PromptOf(invocation.Task) : $"{invocation.Task.SystemPrompt}\n\n{PromptOf(invocation.Task)}";
}
