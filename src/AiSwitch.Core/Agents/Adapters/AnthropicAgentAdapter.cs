using System.Net.Http;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// The <c>anthropic</c> adapter: one streamed Messages API call per task through the official Anthropic .NET SDK, in
/// process. Base URL from ANTHROPIC_BASE_URL, credential from ANTHROPIC_API_KEY (x-api-key) or ANTHROPIC_AUTH_TOKEN
/// (bearer), model from the agent or ANTHROPIC_MODEL. Input tokens are reported with cache reads and writes included
/// (the API counts them apart); output tokens include thinking, which is also given as reasoning tokens when reported.
/// </summary>
internal sealed class AnthropicAgentAdapter : HttpAgentAdapter
{
    public const string BaseUrlName = "ANTHROPIC_BASE_URL";
    public const string ApiKeyName = "ANTHROPIC_API_KEY";
    public const string AuthTokenName = "ANTHROPIC_AUTH_TOKEN";
    public const string ModelName = "ANTHROPIC_MODEL";

    public override string Name => AdapterNames.Anthropic;

    private protected override string BaseUrlVariable => BaseUrlName;

    private protected override IReadOnlyList<string> KeyVariables { get; } = [ApiKeyName, AuthTokenName];

    private protected override string ModelVariable => ModelName;

    private protected override string ExampleBaseUrl => "https://api.anthropic.com";

    private protected override async Task<ProviderReply> CallAsync(ProviderSettings settings, AgentTask task, StreamProgress stream, CancellationToken cancellationToken)
    {
        // Both credentials are set explicitly (one of them null), so the SDK never falls back to the parent's variables.
        // Not disposed: disposing it would dispose the shared HttpClient.
        var bearer = settings.KeyVariable == AuthTokenName;
        var client = new AnthropicClient
        {
            BaseUrl = settings.BaseUrl,
            ApiKey = bearer ? null : settings.Key,
            AuthToken = bearer ? settings.Key : null,
            MaxRetries = 0,
            Timeout = ProviderHttp.SdkTimeout,
            HttpClient = ProviderHttp.Client,
        };

        var parameters = new MessageCreateParams
        {
            Model = settings.Model,
            MaxTokens = task.MaxTokens ?? DefaultMaxTokens,
            Messages = [new MessageParam(new UserMessageParam(new MessageContentParam(Prompt(task), null)), null)],
            System = task.SystemPrompt is { } system ? (MessageCreateParamsSystem)system : null,
        };

        string? model = null, id = null;
        long input = 0, output = 0, cacheRead = 0, cacheWrite = 0, cacheWrite1h = 0, thinking = 0;
        await foreach (var item in client.Messages.CreateStreaming(parameters, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (item.TryPickStart(out var start))
            {
                (model, id) = (start!.Message.Model.Raw(), start.Message.ID);
                var usage = start.Message.Usage;
                (input, output) = (usage.InputTokens, usage.OutputTokens);
                (cacheRead, cacheWrite) = (usage.CacheReadInputTokens ?? 0, usage.CacheCreationInputTokens ?? 0);
                cacheWrite1h = usage.CacheCreation?.Ephemeral1hInputTokens ?? 0;
                thinking = usage.OutputTokensDetails?.ThinkingTokens ?? 0;
                (stream.Model, stream.ResponseId) = (model, id);
                stream.Usage = Counts(input, output, cacheRead, cacheWrite, cacheWrite1h, thinking);
            }
            else if (item.TryPickContentBlockDelta(out var delta) && delta!.Delta.TryPickText(out var text))
            {
                stream.OnText(text!.Text);
            }
            else if (item.TryPickDelta(out var final))
            {
                // message_delta carries the final, cumulative counts; input and cache figures only when they changed.
                var usage = final!.Usage;
                output = usage.OutputTokens;
                input = usage.InputTokens ?? input;
                cacheRead = usage.CacheReadInputTokens ?? cacheRead;
                cacheWrite = usage.CacheCreationInputTokens ?? cacheWrite;
                thinking = usage.OutputTokensDetails?.ThinkingTokens ?? thinking;
                stream.Usage = Counts(input, output, cacheRead, cacheWrite, cacheWrite1h, thinking);
            }
        }

        var counts = Counts(input, output, cacheRead, cacheWrite, cacheWrite1h, thinking);
        return new ProviderReply
        {
            Text = stream.Text,
            Model = model,
            ResponseId = id,
            InputTokens = counts.Input,
            OutputTokens = counts.Output,
            CacheReadTokens = counts.CacheRead,
            CacheWriteTokens = counts.CacheWrite,
            CacheWrite1hTokens = counts.CacheWrite1h,
            ReasoningTokens = counts.Reasoning,
        };
    }

    /// <summary>The Messages API's figures in AiSwitch's meanings: its input_tokens leave out the cache reads and writes.</summary>
    private static TokenCounts Counts(long input, long output, long cacheRead, long cacheWrite, long cacheWrite1h, long thinking)
        => new(input + cacheRead + cacheWrite, output, cacheRead, cacheWrite, thinking, Math.Min(cacheWrite, cacheWrite1h));

    private protected override ProviderFailure? Classify(Exception exception) => exception switch
    {
        AnthropicOverloadedException e => FromStatus((System.Net.HttpStatusCode)529, e.ApiMessage),
        AnthropicApiException e => FromStatus(e.StatusCode, e.ApiMessage),
        AnthropicSseException e => e.Type?.Raw() is { } type && type.Contains("overloaded", StringComparison.OrdinalIgnoreCase)
            ? FromStatus((System.Net.HttpStatusCode)529, e.ApiMessage)
            : new ProviderFailure(ErrorId.ProviderRequestFailed, $"broke off the stream with an error: {e.ApiMessage}", false),
        AnthropicIOException or HttpRequestException or IOException => ConnectionFailed(exception),
        AnthropicInvalidDataException e => new ProviderFailure(ErrorId.ProviderRequestFailed, $"sent an answer that is not the Messages API's ({e.Message}). Check the base URL", false),
        _ => null,
    };

    /// <summary>The prompt, with the task's context (a chain's previous output) before it.</summary>
    internal static string Prompt(AgentTask task) =>
        string.IsNullOrEmpty(task.Context) ? task.Prompt : task.Context + "\n\n" + task.Prompt;
}
