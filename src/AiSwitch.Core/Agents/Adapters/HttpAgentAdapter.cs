using System.Diagnostics;
using System.Globalization;
using System.Net;
using AiSwitch.Core.Presets;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// What the anthropic and openai adapters share: the provider's base URL, key and model come from the invocation's
/// environment (the preset's resolved variables), the call streams so the first token is timed, the task's timeout and
/// the caller's cancellation are honoured at once, and failures become results marked retryable or not. The SDK never
/// retries (AiSwitch's scheduler owns retries) and the key never appears in an error.
/// </summary>
internal abstract class HttpAgentAdapter : IAgentAdapter
{
    /// <summary>Used when a task names no max_tokens; Anthropic requires one.</summary>
    internal const int DefaultMaxTokens = 4096;

    private protected HttpAgentAdapter()
    {
    }

    public abstract string Name { get; }

    public IReadOnlyDictionary<string, string> QuietSettings { get; } = new Dictionary<string, string>();

    public bool IsLongLived => false;

    public string? DefaultCommand => null;

    /// <summary>The variable holding the provider's base URL (ANTHROPIC_BASE_URL, OPENAI_BASE_URL).</summary>
    private protected abstract string BaseUrlVariable { get; }

    /// <summary>The variables that may hold the credential, in order of preference.</summary>
    private protected abstract IReadOnlyList<string> KeyVariables { get; }

    /// <summary>The variable holding the model when the agent names none (ANTHROPIC_MODEL, OPENAI_MODEL).</summary>
    private protected abstract string ModelVariable { get; }

    /// <summary>
    /// The definition alone says nothing: the base URL and key may come from a run's preset, the agent's switched
    /// environment or the session's preset. <see cref="CheckLaunch"/> checks the environment the agent really gets.
    /// </summary>
    public ValueTask<AgentReadiness> CheckAsync(AgentDefinition agent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return ValueTask.FromResult(AgentReadiness.Ready());
    }

    public AgentReadiness CheckLaunch(AgentLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        return Check(launch.Agent, launch.PresetName, launch.Environment, launch.Model);
    }

    /// <summary>Checks a resolved environment: base URL, credential and model present, the base URL an absolute http(s) URL.</summary>
    public AgentReadiness Check(AgentDefinition agent, string? presetName, IReadOnlyDictionary<string, string> environment, string? model)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(environment);
        try
        {
            Settings(agent, presetName, environment, model);
            return AgentReadiness.Ready();
        }
        catch (AiSwitchException e)
        {
            return AgentReadiness.NotReady(e);
        }
    }

    public async Task<AgentRunResult> RunAsync(AgentInvocation invocation, IAgentRunObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(observer);
        cancellationToken.ThrowIfCancellationRequested();
        ProviderSettings settings;
        try
        {
            settings = Settings(invocation.Agent, invocation.PresetName, invocation.Environment, invocation.Model);
        }
        catch (AiSwitchException e)
        {
            return new AgentRunResult { Success = false, Error = e.Message, ErrorId = e.Id };
        }

        var started = Stopwatch.GetTimestamp();
        using var timeout = new CancellationTokenSource(TaskTimeout(invocation.Task));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var stream = new StreamProgress(observer, started);
        observer.OnStarted(null);
        try
        {
            var reply = await CallAsync(settings, invocation.Task, stream, linked.Token).ConfigureAwait(false);
            return new AgentRunResult
            {
                Success = true,
                Text = reply.Text,
                AgentSessionId = reply.ResponseId,
                Model = reply.Model ?? settings.Model,
                InputTokens = reply.InputTokens,
                OutputTokens = reply.OutputTokens,
                CacheReadTokens = reply.CacheReadTokens,
                CacheWriteTokens = reply.CacheWriteTokens,
                CacheWrite1hTokens = reply.CacheWrite1hTokens,
                ReasoningTokens = reply.ReasoningTokens,
                Duration = Stopwatch.GetElapsedTime(started),
                TimeToFirstToken = stream.TimeToFirstToken,
            };
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // What the provider had reported when the call was cut off was billed: it goes to the ledger as cancelled.
            throw new RunCancelledException(WithUsageSoFar(new AgentRunResult { Success = false, Text = stream.Text, Duration = Stopwatch.GetElapsedTime(started) }, stream, settings), cancellationToken);
        }
        catch (Exception) when (timeout.IsCancellationRequested)
        {
            return WithUsageSoFar(Failed(invocation, started, stream, new ProviderFailure(
                ErrorId.TaskTimeout,
                $"Agent '{invocation.Agent.Name}' got no complete answer from {settings.BaseUrl} within the task's timeout of " +
                $"{invocation.Task.Timeout.ToString(CultureInfo.InvariantCulture)} s. Give the task a longer timeout.",
                Retryable: true)), stream, settings);
        }
        catch (Exception e) when (Classify(e) is { } failure)
        {
            return Failed(invocation, started, stream, failure with { Message = Describe(invocation, settings, failure.Message) });
        }
    }

    /// <summary>A stopped call's result with the tokens the provider had reported by then (none when it reports them only at the end).</summary>
    private static AgentRunResult WithUsageSoFar(AgentRunResult result, StreamProgress stream, ProviderSettings settings) => stream.Usage is not { } usage ? result : result with
    {
        AgentSessionId = stream.ResponseId, Model = stream.Model ?? settings.Model,
        InputTokens = usage.Input, OutputTokens = usage.Output, CacheReadTokens = usage.CacheRead, CacheWriteTokens = usage.CacheWrite,
        CacheWrite1hTokens = usage.CacheWrite1h, ReasoningTokens = usage.Reasoning,
    };

    /// <summary>
    /// Calls the provider, streaming; reports each text delta to <paramref name="stream"/>, and the usage as soon as the
    /// provider reports it (<see cref="StreamProgress.Usage"/>), so a call cut off part way still records what was billed.
    /// </summary>
    private protected abstract Task<ProviderReply> CallAsync(ProviderSettings settings, AgentTask task, StreamProgress stream, CancellationToken cancellationToken);

    /// <summary>The SDK's failure as a result, or null for an exception that is not the provider's (a bug: it propagates).</summary>
    private protected abstract ProviderFailure? Classify(Exception exception);

    /// <summary>A failure from an HTTP status: 429 and overloaded/unavailable ones are worth retrying, the rest not.</summary>
    private protected static ProviderFailure FromStatus(HttpStatusCode status, string? providerMessage)
    {
        var code = (int)status;
        var said = string.IsNullOrWhiteSpace(providerMessage) ? string.Empty : $": {providerMessage.Trim()}";
        return code switch
        {
            429 => new ProviderFailure(ErrorId.ProviderRateLimited, $"rate limited (HTTP 429){said}. Wait, lower the concurrency, or use another preset", true),
            503 or 529 => new ProviderFailure(ErrorId.ProviderOverloaded, $"overloaded (HTTP {code}){said}. Try again shortly", true),
            408 or 504 => new ProviderFailure(ErrorId.NetworkError, $"timed out (HTTP {code}){said}. Try again", true),
            401 or 403 => new ProviderFailure(ErrorId.AgentAuthenticationFailed, $"refused the credential (HTTP {code}){said}. Check the preset's key", false),
            404 => new ProviderFailure(ErrorId.ProviderRequestFailed, $"does not know the path or model (HTTP 404){said}. Check the preset's base URL and model", false),
            _ => new ProviderFailure(ErrorId.ProviderRequestFailed, $"failed (HTTP {code}){said}", false),
        };
    }

    /// <summary>A connection that could not be made or broke off: worth retrying.</summary>
    private protected static ProviderFailure ConnectionFailed(Exception exception) =>
        new(ErrorId.NetworkError, $"could not be reached or dropped the connection ({Innermost(exception)}). Check the base URL and the network, then try again", true);

    private static string Innermost(Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner.Message.Length == 0 ? inner.GetType().Name : inner.Message;
    }

    private static AgentRunResult Failed(AgentInvocation invocation, long started, StreamProgress stream, ProviderFailure failure) => new()
    {
        Success = false,
        Text = stream.Text,
        Error = Scrub(failure.Message, invocation.Environment),
        ErrorId = failure.Id,
        Retryable = failure.Retryable,
        Duration = Stopwatch.GetElapsedTime(started),
        TimeToFirstToken = stream.TimeToFirstToken,
    };

    private string Describe(AgentInvocation invocation, ProviderSettings settings, string what) =>
        $"Agent '{invocation.Agent.Name}' ({Name}, model '{settings.Model}'{PresetPart(invocation.PresetName)}): the provider at {settings.BaseUrl} {what}.";

    private static string PresetPart(string? preset) => preset is null ? string.Empty : $", preset '{preset}'";

    /// <summary>Removes every secret value the agent's environment holds from a message, whatever the provider echoed.</summary>
    private static string Scrub(string message, IReadOnlyDictionary<string, string> environment) =>
        Redaction.RedactText(message, environment.Where(v => Redaction.IsSensitive(v.Key) || Redaction.LooksLikeSecret(v.Value)).Select(v => v.Value));

    private static TimeSpan TaskTimeout(AgentTask task) =>
        task.Timeout > 0 && task.Timeout < TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.FromSeconds(task.Timeout) : Timeout.InfiniteTimeSpan;

    private ProviderSettings Settings(AgentDefinition agent, string? presetName, IReadOnlyDictionary<string, string> environment, string? model)
    {
        var baseUrl = Value(environment, BaseUrlVariable)
            ?? throw Missing(agent, presetName, BaseUrlVariable, "the provider's base URL, such as " + ExampleBaseUrl);
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new AiSwitchException(
                ErrorId.AgentInitializationFailed,
                $"Agent '{agent.Name}'{PresetPart(presetName)}: {BaseUrlVariable} '{baseUrl}' is not an http or https URL. " +
                $"Set it to the provider's base URL, such as {ExampleBaseUrl}.",
                agent.Name);
        }

        var keyVariable = KeyVariables.FirstOrDefault(name => Value(environment, name) is not null)
            ?? throw Missing(agent, presetName, string.Join(" or ", KeyVariables), "the provider's API key (as an env: or file: reference if you like)");
        var chosenModel = model ?? Value(environment, ModelVariable)
            ?? throw Missing(agent, presetName, ModelVariable, "the model name, or set Model on the agent with Register-AiAgent -Model");
        return new ProviderSettings(baseUrl.TrimEnd('/'), Value(environment, keyVariable)!, keyVariable, chosenModel);
    }

    private protected abstract string ExampleBaseUrl { get; }

    private static string? Value(IReadOnlyDictionary<string, string> environment, string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    private AiSwitchException Missing(AgentDefinition agent, string? presetName, string variable, string what) => new(
        ErrorId.AgentInitializationFailed,
        presetName is null
            ? $"Agent '{agent.Name}' ({Name}) has no preset and no {variable}. Give it a preset that sets {variable} " +
              $"(Register-AiAgent -Name {agent.Name} -Preset NAME), or set {variable} to {what}."
            : $"Agent '{agent.Name}' ({Name}): preset '{presetName}' does not set {variable}. " +
              $"Set it to {what} with Set-AiPreset -Name {presetName} -Variable @{{ {variable.Split(' ')[0]} = '…' }}.",
        agent.Name);
}

/// <summary>What a provider call needs. <see cref="Key"/> is the credential: never put it in a message.</summary>
internal sealed record ProviderSettings(string BaseUrl, string Key, string KeyVariable, string Model);

/// <summary>A provider's answer in AiSwitch's terms: input tokens include cached ones; output tokens include reasoning.</summary>
internal sealed record ProviderReply
{
    public required string Text { get; init; }

    public string? Model { get; init; }

    public string? ResponseId { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long CacheReadTokens { get; init; }

    public long CacheWriteTokens { get; init; }

    public long CacheWrite1hTokens { get; init; }

    public long ReasoningTokens { get; init; }
}

/// <summary>A failed provider call: the id, what happened (completed into a sentence by the adapter), and whether a retry may help.</summary>
internal sealed record ProviderFailure(ErrorId Id, string Message, bool Retryable);

/// <summary>Collects streamed text and times the first token, reporting both to the observer.</summary>
internal sealed class StreamProgress(IAgentRunObserver observer, long started)
{
    private readonly System.Text.StringBuilder _text = new();

    public TimeSpan? TimeToFirstToken { get; private set; }

    /// <summary>The usage the provider has reported so far, in the one meaning of each field; null before any.</summary>
    public TokenCounts? Usage { get; set; }

    public string? Model { get; set; }

    public string? ResponseId { get; set; }

    public string Text => _text.ToString();

    public void OnText(string? delta)
    {
        if (string.IsNullOrEmpty(delta))
        {
            return;
        }

        if (TimeToFirstToken is null)
        {
            TimeToFirstToken = Stopwatch.GetElapsedTime(started);
            observer.OnFirstToken();
        }

        _text.Append(delta);
        observer.OnText(delta);
    }
}
