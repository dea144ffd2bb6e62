using System.Text;
using System.Text.RegularExpressions;
using AiSwitch.Core.Home;

namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// Codex (agent-clis.md §2): <c>codex exec --json --skip-git-repo-check</c>, one process per task, the prompt on stdin.
/// Codex ignores OPENAI_BASE_URL, so the preset's base URL becomes a custom model provider through <c>-c</c> flags,
/// with its retries capped; analytics and plugins are off; CODEX_HOME is a private folder under the home's tmp/.
/// Codex's usage is cumulative per thread: a resumed thread reports the growth since its previous task.
/// </summary>
internal sealed partial class CodexAdapter : CliAgentAdapter
{
    /// <summary>The custom provider's id in Codex's config.</summary>
    public const string ProviderId = "aiswitch";

    /// <summary>
    /// The model Codex 0.169 uses when it is given none (agent-clis.md: its request body names it). Used only when
    /// Codex's own session log for the thread does not say.
    /// </summary>
    public const string KnownDefaultModel = "gpt-6.1-sol";

    /// <summary>Where a preset's base URL may be, in order.</summary>
    public static readonly IReadOnlyList<string> BaseUrlVariables = ["OPENAI_BASE_URL", "OPENAI_API_BASE"];

    /// <summary>Where a preset's key may be, in order; Codex reads the one named as the provider's env_key.</summary>
    public static readonly IReadOnlyList<string> KeyVariables = ["OPENAI_API_KEY", "CODEX_API_KEY"];

    public override string Name => AdapterNames.Codex;

    public override string DefaultCommand => "codex";

    /// <summary>Codex's quiet settings are flags (see <see cref="ExecArguments"/>), not variables.</summary>
    public override IReadOnlyDictionary<string, string> QuietSettings { get; } = new Dictionary<string, string>();

    protected internal override string DisplayName => "Codex";

    protected internal override string InstallHint => "install it with npm install -g @openai/codex";

    protected internal override string ProtocolName => "JSON events (codex exec --json)";

    public override async Task<AgentRunResult> RunAsync(AgentInvocation invocation, IAgentRunObserver observer, CancellationToken cancellationToken)
    {
        var codexHome = PrivateFolder(invocation.Home, invocation.Agent.Name, "codex-home");
        var resume = ResumeSessionOf(invocation.Task);
        var usage = new CodexThreadUsage(codexHome);
        var parser = new CodexEventParser(resume is null ? TokenCounts.Zero : usage.Read(resume), invocation.Model);
        var arguments = ExecArguments(
            Variable(invocation, [.. BaseUrlVariables]),
            KeyVariables.FirstOrDefault(name => Variable(invocation, name) is not null) ?? KeyVariables[0],
            invocation.Model,
            invocation.Task.SystemPrompt,
            resume);
        var environment = EnvironmentOf(invocation.Environment, [new("CODEX_HOME", codexHome)]);
        var result = await RunProcessAsync(invocation, arguments, environment, PromptOf(invocation.Task), parser, observer, cancellationToken)
            .ConfigureAwait(false);
        if (parser.Completed && result.AgentSessionId is { } thread)
        {
            usage.Write(thread, parser.ThreadUsageAfter);
        }

        // exec --json never names the model; without -m the record would be unpriced and every run warned about '(none)'.
        if (result.Model is null && result.AgentSessionId is not null)
        {
            result.Model = ModelOfThread(codexHome, result.AgentSessionId) ?? KnownDefaultModel;
        }

        return result;
    }

    /// <summary>
    /// The arguments of one task; the prompt follows on stdin (<c>-</c>). With a base URL, a custom provider that
    /// reads the key from <paramref name="keyVariable"/> and makes no retries of its own (the scheduler retries
    /// Retryable results); a URL whose path does not end in a version segment gets <c>/v1</c>.
    /// </summary>
    public static IReadOnlyList<string> ExecArguments(string? baseUrl, string keyVariable, string? model, string? systemPrompt, string? resumeThreadId)
    {
        List<string> arguments = ["exec", "--json", "--skip-git-repo-check"];
        if (!string.IsNullOrWhiteSpace(baseUrl))
        {
            arguments.AddRange([
                "-c", $"model_providers.{ProviderId}={{name={Toml(ProviderId)},base_url={Toml(ProviderBaseUrl(baseUrl))},env_key={Toml(keyVariable)},"
                    + "wire_api=\"responses\",request_max_retries=0,stream_max_retries=0}",
                "-c", $"model_provider={ProviderId}"]);
        }

        arguments.AddRange(["-c", "analytics.enabled=false", "--disable", "plugins", "--disable", "unbounded_connection_retries"]);
        if (!string.IsNullOrWhiteSpace(model))
        {
            arguments.AddRange(["-m", model]);
        }

        if (!string.IsNullOrWhiteSpace(systemPrompt))
        {
            arguments.AddRange(["-c", $"developer_instructions={Toml(systemPrompt)}"]);
        }

        if (resumeThreadId is not null)
        {
            arguments.AddRange(["resume", resumeThreadId]);
        }

        arguments.Add("-");
        return arguments;
    }

    /// <summary>The provider's base URL: the preset's, with <c>/v1</c> added unless its path already ends in a version.</summary>
    public static string ProviderBaseUrl(string baseUrl)
    {
        var trimmed = baseUrl.Trim().TrimEnd('/');
        return VersionSegment().IsMatch(trimmed) ? trimmed : trimmed + "/v1";
    }

    /// <summary>A TOML basic string.</summary>
    public static string Toml(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    /// <summary>The model of the thread's last turn, from the session log Codex writes in its (private) CODEX_HOME.</summary>
    internal static string? ModelOfThread(string codexHome, string threadId)
    {
        var sessions = Path.Combine(codexHome, "sessions");
        if (!Directory.Exists(sessions) || threadId.IndexOfAny(['*', '?', '/', '\\']) >= 0)
        {
            return null;
        }

        string? model = null;
        foreach (var file in Directory.EnumerateFiles(sessions, $"rollout-*{threadId}.jsonl", SearchOption.AllDirectories))
        {
            foreach (var line in File.ReadLines(file))
            {
                if (!line.Contains("\"turn_context\"", StringComparison.Ordinal))
                {
                    continue;
                }

                try
                {
                    using var document = System.Text.Json.JsonDocument.Parse(line);
                    if (document.RootElement.TryGetProperty("payload", out var payload) && payload.ValueKind == System.Text.Json.JsonValueKind.Object
                        && payload.TryGetProperty("model", out var name) && name.ValueKind == System.Text.Json.JsonValueKind.String)
                    {
                        model = name.GetString();
                    }
                }
                catch (System.Text.Json.JsonException)
                {
                    // A line being written as we read: the turn_context lines before it still count.
                }
            }
        }

        return string.IsNullOrWhiteSpace(model) ? null : model;
    }

    [GeneratedRegex(@"/v\d+[a-z]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VersionSegment();

    /// <summary>
    /// The cumulative usage each thread had after its last task, kept beside Codex's own sessions in the private
    /// CODEX_HOME, so a resumed thread (in this or a later session) reports only its new task's tokens.
    /// </summary>
    private sealed partial class CodexThreadUsage(string codexHome)
    {
        private string Folder => Path.Combine(codexHome, "aiswitch-thread-usage");

        public TokenCounts Read(string threadId)
        {
            var path = PathOf(threadId);
            var text = path is null ? null : AtomicFile.ReadOrNull(path);
            if (text is null)
            {
                return TokenCounts.Zero;
            }

            var fields = Encoding.UTF8.GetString(text).Split(' ');
            return fields.Length == 5 && fields.All(f => long.TryParse(f, out _))
                ? new TokenCounts(long.Parse(fields[0]), long.Parse(fields[1]), long.Parse(fields[2]), long.Parse(fields[3]), long.Parse(fields[4]))
                : TokenCounts.Zero;
        }

        public void Write(string threadId, TokenCounts usage)
        {
            if (PathOf(threadId) is { } path)
            {
                PrivateDirectory.Create(Folder);
                AtomicFile.Write(path, Encoding.UTF8.GetBytes($"{usage.Input} {usage.Output} {usage.CacheRead} {usage.CacheWrite} {usage.Reasoning}"));
            }
        }

        /// <summary>Null for an id that is not a plain thread id (it names the file).</summary>
        private string? PathOf(string threadId) => ThreadId().IsMatch(threadId) ? Path.Combine(Folder, threadId) : null;

        [GeneratedRegex("^[A-Za-z0-9-]{1,100}$")]
        private static partial Regex ThreadId();
    }
}
