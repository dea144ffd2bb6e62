using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http;
using AiSwitch.Protocol;
using OpenAI;
using OpenAI.Chat;

namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// The <c>openai</c> adapter: one streamed Chat Completions call per task through the official OpenAI .NET SDK, in
/// process (Chat Completions, because every OpenAI-compatible provider a preset may point at serves it). Base URL from
/// OPENAI_BASE_URL (with its <c>/v1</c>), key from OPENAI_API_KEY, model from the agent or OPENAI_MODEL. Input tokens
/// include cached ones and output tokens include reasoning, as the API counts them.
/// </summary>
internal sealed class OpenAiAgentAdapter : HttpAgentAdapter
{
    public const string BaseUrlName = "OPENAI_BASE_URL";
    public const string ApiKeyName = "OPENAI_API_KEY";
    public const string ModelName = "OPENAI_MODEL";

    public override string Name => AdapterNames.OpenAi;

    private protected override string BaseUrlVariable => BaseUrlName;

    private protected override IReadOnlyList<string> KeyVariables { get; } = [ApiKeyName];

    private protected override string ModelVariable => ModelName;

    private protected override string ExampleBaseUrl => "https://api.openai.com/v1";

    private protected override async Task<ProviderReply> CallAsync(ProviderSettings settings, AgentTask task, StreamProgress stream, CancellationToken cancellationToken)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(settings.BaseUrl),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = ProviderHttp.SdkTimeout,
            Transport = ProviderHttp.Transport,
        };
        var client = new ChatClient(settings.Model, new ApiKeyCredential(settings.Key), options);
        var messages = new List<ChatMessage>();
        if (!string.IsNullOrEmpty(task.SystemPrompt))
        {
            messages.Add(new SystemChatMessage(task.SystemPrompt));
        }

        messages.Add(new UserChatMessage(AnthropicAgentAdapter.Prompt(task)));
        var request = new ChatCompletionOptions
        {
            MaxOutputTokenCount = task.MaxTokens,
            Temperature = task.Temperature is { } temperature ? (float)temperature : null,
        };

        string? model = null, id = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync(messages, request, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            model ??= update.Model;
            id ??= update.CompletionId;
            usage = update.Usage ?? usage;
            foreach (var part in update.ContentUpdate)
            {
                stream.OnText(part.Text);
            }
        }

        return new ProviderReply
        {
            Text = stream.Text,
            Model = string.IsNullOrEmpty(model) ? null : model,
            ResponseId = id,
            InputTokens = usage?.InputTokenCount ?? 0,
            OutputTokens = usage?.OutputTokenCount ?? 0,
            CacheReadTokens = usage?.InputTokenDetails?.CachedTokenCount ?? 0,
            ReasoningTokens = usage?.OutputTokenDetails?.ReasoningTokenCount ?? 0,
        };
    }

    private protected override ProviderFailure? Classify(Exception exception) => exception switch
    {
        ClientResultException { Status: 0 } e => ConnectionFailed(e),
        ClientResultException e => FromStatus((System.Net.HttpStatusCode)e.Status, ProviderMessage(e)),
        HttpRequestException or IOException => ConnectionFailed(exception),
        _ => null,
    };

    /// <summary>The provider's own error message, without the SDK's dump of the response that follows it.</summary>
    private static string ProviderMessage(ClientResultException exception)
    {
        var message = exception.Message;
        var cut = message.IndexOf("\n", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }
}
