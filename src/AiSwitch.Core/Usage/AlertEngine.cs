using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using AiSwitch.Core.Home;
using AiSwitch.Core.Hosting;

namespace AiSwitch.Core.Usage;

/// <summary>
/// Alerts (seed 000 §5.2): conditions observed by the quota guard, the task engine (error rate) and the supervisor
/// (agent down) become notifications — a warning, the <see cref="Alerted"/> event, a line in <c>logs/alerts.jsonl</c>
/// and optionally a webhook POST — exactly once per crossing and once per recovery. Which condition is raised is kept in
/// <c>state/alerts.json</c> under its file lock, so every session and process agrees on what has been announced.
/// A condition raised again within the rate limit of its last notification is recorded but not announced (nor is its recovery).
/// </summary>
internal sealed class AlertEngine : IDisposable
{
    public const string QuotaRule = "quota";
    public const string ErrorRateRule = "error_rate";
    public const string AgentDownRule = "agent_down";

    private readonly AiHome _home;
    private readonly TimeProvider _clock;
    private readonly JsonStateFile<AlertStateData> _state;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ConcurrentDictionary<Task, bool> _deliveries = new();

    public AlertEngine(AiHome home, TimeProvider? clock = null, HttpClient? http = null)
    {
        _home = home;
        _clock = clock ?? TimeProvider.System;
        _state = new JsonStateFile<AlertStateData>(Path.Combine(home.StateDir, "alerts.json"), UsageJsonContext.Default.AlertStateData);
        _ownsHttp = http is null;
        _http = http ?? new HttpClient();
    }

    public static AlertEngine For(AiSession session) => session.GetService(s =>
    {
        var log = Home.CoordinatorLog.For(s);
        var engine = new AlertEngine(s.Home, s.Clock);
        engine.Alerted += (_, notice) => log.Write("alert", ("rule", notice.Rule), ("subject", notice.Subject), ("level", notice.Level), ("kind", notice.Kind));
        return engine;
    });

    /// <summary>Raised (on the observing thread) for every notification this session makes.</summary>
    public event EventHandler<AlertNotice>? Alerted;

    public string LogPath => Path.Combine(_home.LogsDir, "alerts.jsonl");

    /// <summary>
    /// Records the level of one condition. Returns the notification when this call changed what is announced (a raise
    /// or a recovery), else null: a repeated observation of the same level announces nothing.
    /// </summary>
    public AlertNotice? Observe(string rule, string subject, AlertLevel level, string message, IOperationContext? context = null)
    {
        var now = _clock.GetUtcNow();
        var key = rule + ":" + subject;
        AlertNotice? notice = null;
        var current = _state.Read()?.Conditions.GetValueOrDefault(key);
        if ((current?.Level ?? AlertLevel.Ok) == level)
        {
            return null; // the common case, decided without taking the lock (or reading alerts.yaml)
        }

        var rules = AlertRules.Load(_home);
        _state.Update(data =>
        {
            data ??= new AlertStateData();
            notice = null;
            var entry = data.Conditions.GetValueOrDefault(key) ?? new AlertStateEntry();
            var previous = entry.Level;
            if (previous == level)
            {
                return data;
            }

            if (level > previous)
            {
                // Rate limiting is against flapping: a condition raised again soon after its last notice. An escalation
                // (warning to critical) is always announced.
                var limited = previous == AlertLevel.Ok && entry.LastNotified is { } last && now - last < rules.MinInterval;
                entry.Suppressed = limited;
                if (!limited)
                {
                    entry.LastNotified = now;
                    notice = new AlertNotice { Time = now, Rule = rule, Subject = subject, Level = level, Kind = "raised", Message = message };
                }
                else
                {
                    entry.SuppressedCount++;
                }
            }
            else if (level == AlertLevel.Ok)
            {
                if (!entry.Suppressed)
                {
                    notice = new AlertNotice { Time = now, Rule = rule, Subject = subject, Level = level, Kind = "recovered", Message = message };
                }

                entry.Suppressed = false;
            }

            entry.Level = level;
            entry.Since = now;
            data.Conditions[key] = entry;
            return data;
        }, durable: false);

        if (notice is not null)
        {
            Announce(notice, rules, context);
        }

        return notice;
    }

    /// <summary>error_rate: failed tasks over all tasks of an agent in the caller's window.</summary>
    public AlertNotice? ObserveErrorRate(string agent, long errors, long tasks, IOperationContext? context = null)
    {
        var rules = AlertRules.Load(_home);
        var rate = tasks == 0 ? 0 : (double)errors / tasks;
        var level = tasks >= rules.ErrorRateMinTasks && rate >= rules.ErrorRateThreshold ? AlertLevel.Warning : AlertLevel.Ok;
        return Observe(ErrorRateRule, agent, level,
            $"Agent '{agent}' failed {errors} of {tasks} tasks ({rate:P0}); the alert threshold is {rules.ErrorRateThreshold:P0}.", context);
    }

    /// <summary>agent_down: an agent that should be running is not (or is back).</summary>
    public AlertNotice? ObserveAgentDown(string agent, bool down, IOperationContext? context = null)
        => Observe(AgentDownRule, agent, down ? AlertLevel.Critical : AlertLevel.Ok,
            down ? $"Agent '{agent}' is down." : $"Agent '{agent}' is running again.", context);

    /// <summary>Waits for webhook deliveries started so far (tests; a CLI before it exits).</summary>
    public Task FlushAsync() => Task.WhenAll(_deliveries.Keys);

    public void Dispose()
    {
        try
        {
            FlushAsync().Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Delivery failures were logged when they happened.
        }

        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private void Announce(AlertNotice notice, AlertRules rules, IOperationContext? context)
    {
        var what = notice.Kind == "raised" ? $"Alert ({notice.Rule}, {notice.Level})" : $"Recovered ({notice.Rule})";
        context?.WriteWarning($"{what}: {notice.Message}");
        if (!rules.Enabled(notice.Rule))
        {
            return;
        }

        AppendOnlyFile.Append(LogPath, Line(notice));
        Alerted?.Invoke(this, notice);
        if (rules.WebhookUrl is { } url)
        {
            var delivery = DeliverAsync(url, notice, rules.WebhookTimeout);
            _deliveries[delivery] = true;
            _ = delivery.ContinueWith(t => _deliveries.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task DeliverAsync(Uri url, AlertNotice notice, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        string? failure;
        try
        {
            using var response = await _http.PostAsJsonAsync(url, notice, UsageJsonContext.Default.AlertNotice, cancel.Token).ConfigureAwait(false);
            failure = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            failure = ex is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : ex.Message;
        }

        if (failure is not null)
        {
            // The notice itself is already in the log; record that its webhook did not get through.
            AppendOnlyFile.Append(LogPath, Line(new AlertNotice
            {
                Time = _clock.GetUtcNow(), Rule = notice.Rule, Subject = notice.Subject, Level = notice.Level, Kind = "webhook_failed",
                Message = $"Webhook POST to {url.GetLeftPart(UriPartial.Path)} failed ({failure}) for: {notice.Message}",
            }));
        }
    }

    private static byte[] Line(AlertNotice notice)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(notice, UsageJsonContext.Default.AlertNotice);
        return [.. bytes, (byte)'\n'];
    }
}

/// <summary>state/alerts.json: the announced level of each condition ("rule:subject").</summary>
internal sealed class AlertStateData
{
    public Dictionary<string, AlertStateEntry> Conditions { get; set; } = [];
}

internal sealed class AlertStateEntry
{
    public AlertLevel Level { get; set; }

    public DateTimeOffset Since { get; set; }

    public DateTimeOffset? LastNotified { get; set; }

    /// <summary>The current raise was rate-limited, so its recovery is not announced either.</summary>
    public bool Suppressed { get; set; }

    public long SuppressedCount { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    Converters = [typeof(Protocol.UtcTimestampConverter)])]
[JsonSerializable(typeof(AlertStateData))]
[JsonSerializable(typeof(AlertNotice))]
internal sealed partial class UsageJsonContext : JsonSerializerContext
{
}
