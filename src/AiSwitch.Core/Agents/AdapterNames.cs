namespace AiSwitch.Core.Agents;

/// <summary>The adapter names a definition may name.</summary>
internal static class AdapterNames
{
    public const string ClaudeCode = "claude-code";
    public const string Codex = "codex";
    public const string Gemini = "gemini";
    public const string JsonRpc = "jsonrpc";
    public const string Anthropic = "anthropic";
    public const string OpenAi = "openai";

    public static IReadOnlyList<string> All { get; } = [ClaudeCode, Codex, Gemini, JsonRpc, Anthropic, OpenAi];
}
