namespace AiSwitch.Core.Presets;

/// <summary>
/// The secret values AiSwitch itself put into one agent's environment, masked wherever the agent's own text enters the
/// engine: its stderr (log and error tails), its results and errors. An agent that prints its environment, or echoes a
/// key in an error, cannot carry the key into a table, a results file or a log.
/// It only grows: an agent switched to another preset may still print the values it was started with.
/// </summary>
internal sealed class SecretRedactor
{
    /// <summary>
    /// Shorter values are not masked: a 1-5 character value (a flag, a port, "true") is no credential, and masking every
    /// occurrence of it would garble the agent's text.
    /// </summary>
    public const int MinimumLength = 6;

    private readonly object _gate = new();
    private string[] _secrets = []; // longest first, so a secret that contains another is masked whole

    public bool IsEmpty => Volatile.Read(ref _secrets).Length == 0;

    public void Add(IEnumerable<string> values)
    {
        lock (_gate)
        {
            var added = _secrets.Concat(values.Where(v => v.Length >= MinimumLength)).Distinct(StringComparer.Ordinal)
                .OrderByDescending(v => v.Length).ThenBy(v => v, StringComparer.Ordinal).ToArray();
            Volatile.Write(ref _secrets, added);
        }
    }

    /// <summary>The text with every known secret replaced by <see cref="Redaction.Mask"/>.</summary>
    public string Redact(string text)
    {
        foreach (var secret in Volatile.Read(ref _secrets))
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Redaction.Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    public string? RedactOrNull(string? text) => text is null ? null : Redact(text);

    /// <summary>
    /// The same error with its message and details masked, keeping its id, target and cause; the unmasked error itself
    /// is dropped, not kept as the inner exception, where a script reading the chain would find it.
    /// </summary>
    public AiSwitchException Redact(AiSwitchException error)
    {
        var message = Redact(error.Message);
        var details = error.Details?.ToDictionary(d => d.Key, d => Redact(d.Value));
        var changed = message != error.Message || (details is not null && details.Any(d => d.Value != error.Details![d.Key]));
        return !changed ? error : new AiSwitchException(error.Id, message, error.Target, error.InnerException) { Details = details };
    }

    /// <summary>The result with the agent's text, error, model and session id masked.</summary>
    public Agents.AgentRunResult Redact(Agents.AgentRunResult result) => IsEmpty ? result : result with
    {
        Text = Redact(result.Text),
        Error = RedactOrNull(result.Error),
        Model = RedactOrNull(result.Model),
        AgentErrorCode = RedactOrNull(result.AgentErrorCode),
        AgentSessionId = RedactOrNull(result.AgentSessionId),
    };
}
