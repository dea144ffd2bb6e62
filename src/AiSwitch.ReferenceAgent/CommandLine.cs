using System.Globalization;

namespace AiSwitch.ReferenceAgent;

/// <summary>
/// The reference agent's command line: <c>aiswitch-reference-agent [--agent-id ID] [--heartbeat-ms N] [--metrics-ms N]
/// [--BEHAVIOUR-OPTION [VALUE]]…</c>. A flag given without a value (<c>--hang</c>, <c>--crash</c>, <c>--fail</c>) means "on".
/// </summary>
public sealed record CommandLine
{
    public const string Usage =
        "usage: aiswitch-reference-agent [--once PROMPT] [--agent-id ID] [--heartbeat-ms N] [--metrics-ms N] [--reply TEXT] [--latency-ms N] " +
        "[--input-tokens N] [--output-tokens N] [--cache-read-tokens N] [--cache-write-tokens N] [--reasoning-tokens N] [--model NAME] " +
        "[--cost-usd X] [--fail [MESSAGE]] [--crash [exit|failfast]] [--hang] [--output-bytes N] [--echo-env NAME] [--lock NAME] " +
        "[--publish-event TYPE] [--query metrics|tokens|events] [--event-types TYPE,TYPE] [--progress PERCENT]";

    public string AgentId { get; init; } = "reference-agent";

    /// <summary>Null keeps the SDK's default interval; 0 turns the heartbeat off.</summary>
    public TimeSpan? HeartbeatInterval { get; init; }

    /// <summary>Null keeps the SDK's default interval; 0 turns periodic metrics.report off.</summary>
    public TimeSpan? MetricsInterval { get; init; }

    public Behavior Behavior { get; init; } = new();

    /// <summary>With <c>--once PROMPT</c>: answer this one prompt on stdout (after the latency) and exit, no protocol.</summary>
    public string? Once { get; init; }

    /// <summary>Parses the arguments; a <see cref="FormatException"/> names the bad option and value (print <see cref="Usage"/> after it).</summary>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new FormatException($"Unexpected argument '{arg}': options start with --.");
            }

            var name = arg[2..];
            var value = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : string.Empty;
            result = name switch
            {
                "once" => result with { Once = Required(name, value) },
                "agent-id" => result with { AgentId = Required(name, value) },
                "heartbeat-ms" => result with { HeartbeatInterval = Milliseconds(name, value) },
                "metrics-ms" => result with { MetricsInterval = Milliseconds(name, value) },
                _ => result with { Behavior = result.Behavior.WithOption(arg, value) ?? throw new FormatException($"Unknown option '{arg}'.") },
            };
        }

        return result;
    }

    private static string Required(string name, string value) =>
        value.Length > 0 ? value : throw new FormatException($"'--{name}' needs a value.");

    private static TimeSpan Milliseconds(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? TimeSpan.FromMilliseconds(ms)
            : throw new FormatException($"'--{name}' must be a whole number of milliseconds, not '{value}'.");
}
