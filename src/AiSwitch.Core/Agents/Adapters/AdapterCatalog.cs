namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// The adapters this build knows, by name. Each adapter engineer adds one line to <see cref="BuiltIn"/>;
/// tests build a catalog of their own fakes.
/// </summary>
internal sealed class AdapterCatalog
{
    private readonly Dictionary<string, IAgentAdapter> _adapters = new(StringComparer.OrdinalIgnoreCase);

    public AdapterCatalog(IEnumerable<IAgentAdapter> adapters)
    {
        foreach (var adapter in adapters)
        {
            _adapters[adapter.Name] = adapter;
        }

        KnownNames = AdapterNames.All.Concat(_adapters.Keys)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    public AdapterCatalog(params IAgentAdapter[] adapters)
        : this((IEnumerable<IAgentAdapter>)adapters)
    {
    }

    /// <summary>The catalog of the adapters built into AiSwitch.</summary>
    public static AdapterCatalog Default { get; } = new(BuiltIn());

    /// <summary>The names a definition may use: every standard adapter name and every adapter in this catalog.</summary>
    public IReadOnlyList<string> KnownNames { get; }

    public bool IsKnown(string name) => KnownNames.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The adapter, or null when this build has none by that name.</summary>
    public IAgentAdapter? Find(string name) => _adapters.GetValueOrDefault(name);

    /// <summary>A catalog with <paramref name="extra"/> added to (or replacing) this one's adapters.</summary>
    public AdapterCatalog With(params IAgentAdapter[] extra) => new(_adapters.Values.Concat(extra));

    // One line per adapter. The two groups stay apart, so adding to one never conflicts with the other.
    private static IEnumerable<IAgentAdapter> BuiltIn()
    {
        // CLI adapters (claude-code, codex, gemini):
        yield return new ClaudeCodeAdapter();
        yield return new ClaudeCodeSessionAdapter();
        yield return new CodexAdapter();
        yield return new GeminiAdapter();


        // RPC and HTTP adapters (jsonrpc, anthropic, openai):
        yield return new JsonRpcAgentAdapter();
        yield return new AnthropicAgentAdapter();
        yield return new OpenAiAgentAdapter();

        yield break;
    }
}
