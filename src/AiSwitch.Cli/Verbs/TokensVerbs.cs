using System.CommandLine;
using System.Text.Json;
using AiSwitch.Core.Hosting;
using AiSwitch.Protocol;
using AiSwitch.Core.Usage;

namespace AiSwitch.Cli;

/// <summary>
/// <c>aiswitch tokens summary|quota|import|prices</c> (docs/cli/tokens.md): the twins of Get-AiTokenUsage,
/// Set/Get/Remove-AiTokenQuota, Import-AiTokenUsage and Get-AiModelPrice over the same Core operations.
/// </summary>
internal static class TokensVerbs
{
    private static readonly string[] PriceColumns = ["Model", "InputUsd", "OutputUsd", "CacheReadUsd", "CacheWriteUsd", "CacheWrite1hUsd", "AsOf", "Source"];
    // The wire's shape (seed 003 tokens.summary), indented, and text as it is for people and jq.
    private static readonly JsonSerializerOptions SummaryJson = new(ProtocolJsonContext.Default.Options)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly string[] QuotaColumns = ["Agent", "State", "DailyTokens", "DailyCostUsd", "WarnAt", "UsedTokens", "UsedCostUsd", "RemainingTokens", "RemainingCostUsd", "Day"];

    public static Command Create(CliContext context) => new("tokens", "Token usage, cost, quotas and imports from the agents' own logs.")
    {
        Summary(context),
        Quota(context),
        Import(context),
        Prices(context),
    };

    private static Command Prices(CliContext context)
    {
        var models = new Argument<string[]>("MODEL") { Arity = ArgumentArity.ZeroOrMore, Description = "Only models (or aliases) matching these patterns (* ? [..])." };
        var format = OutputRenderer.FormatOption();
        var command = new Command("prices", "The price table (US dollars per million tokens) with each row's source; config/pricing.yaml rows win.") { models, format };
        command.SetAction(parse =>
        {
            var sink = context.Sink();
            var patterns = parse.GetValue(models) is { Length: > 0 } given ? given : null;
            var rows = PipelineBridge.Run(sink, (_, _) => Task.FromResult(context.Session.Usage.Prices(patterns)), context.Cancellation);
            OutputRenderer.Write(context.Output, rows, parse.GetValue(format), parse.GetValue(format) == OutputFormat.Table ? PriceColumns : null);
            return sink.ExitCode;
        });
        return command;
    }

    private static Command Summary(CliContext context)
    {
        var all = new Option<bool>("--all") { Description = "All recorded usage (every day), not just the timeframe." };
        var agent = new Option<string[]>("--agent") { Description = "Only these agents (repeat or comma-separate).", AllowMultipleArgumentsPerToken = true };
        var model = new Option<string[]>("--model") { Description = "Only these models.", AllowMultipleArgumentsPerToken = true };
        var timeframe = new Option<UsageTimeframe?>("--timeframe") { Description = "hour, day (default), week or month: the current one, in local time." };
        var since = new Option<DateTimeOffset?>("--since") { Description = "Only usage at or after this time (ISO 8601)." };
        var until = new Option<DateTimeOffset?>("--until") { Description = "Only usage before this time (ISO 8601)." };
        var groupBy = new Option<UsageGroupBy>("--group-by") { Description = "agent (default), model, preset, day or hour.", DefaultValueFactory = _ => UsageGroupBy.Agent };
        var summary = new Option<bool>("--summary") { Description = "Print seed 003's TokenSummaryResult (JSON) instead of rows." };
        var format = OutputRenderer.FormatOption();
        var command = new Command("summary", "Token usage and cost from the ledger, grouped; today by default.")
        {
            all, agent, model, timeframe, since, until, groupBy, summary, format,
        };
        command.SetAction(parse =>
        {
            var explicitWindow = parse.GetValue(since) is not null || parse.GetValue(until) is not null;
            var query = new TokenUsageQuery
            {
                Agent = Split(parse.GetValue(agent)),
                Model = Split(parse.GetValue(model)),
                Since = parse.GetValue(since),
                Until = parse.GetValue(until),
                Timeframe = parse.GetValue(timeframe) ?? (parse.GetValue(all) || explicitWindow ? null : UsageTimeframe.Day),
                GroupBy = parse.GetValue(groupBy),
                TimeZone = TimeZoneInfo.Local,
            };
            var usage = context.Session.Usage;
            var sink = context.Sink();
            if (parse.GetValue(summary))
            {
                var result = PipelineBridge.Run(sink, (operation, _) => Task.FromResult(usage.SummaryResult(query, operation)), context.Cancellation);
                context.Output.WriteLine(JsonSerializer.Serialize(result, SummaryJson));
                return sink.ExitCode;
            }

            var rows = PipelineBridge.Run(sink, (operation, _) => Task.FromResult(usage.Query(query, operation)), context.Cancellation);
            OutputRenderer.Write(context.Output, rows, parse.GetValue(format));
            return sink.ExitCode;
        });
        return command;
    }

    private static Command Quota(CliContext context)
    {
        var agentArgument = new Argument<string>("AGENT") { Description = "The agent's name, or '*' for the quota over all agents." };
        var tokens = new Option<long?>("--daily-tokens") { Description = "Tokens per UTC day." };
        var cost = new Option<decimal?>("--daily-cost-usd") { Description = "US dollars per UTC day." };
        var warnAt = new Option<double?>("--warn-at") { Description = "Warn at this share of a limit (default 0.8)." };
        var setFormat = OutputRenderer.FormatOption();
        var set = new Command("set", "Set (or create) a daily quota.") { agentArgument, tokens, cost, warnAt, setFormat };
        set.SetAction(parse =>
        {
            var request = new SetQuotaRequest { Agent = parse.GetValue(agentArgument)!, DailyTokens = parse.GetValue(tokens), DailyCostUsd = parse.GetValue(cost), WarnAt = parse.GetValue(warnAt) };
            var sink = context.Sink();
            var quota = PipelineBridge.Run(sink, (operation, _) => Task.FromResult(context.Session.Quotas.Set(request, operation)), context.Cancellation);
            OutputRenderer.Write(context.Output, [quota], parse.GetValue(setFormat), parse.GetValue(setFormat) == OutputFormat.Table ? QuotaColumns : null);
            return sink.ExitCode;
        });

        var pattern = new Argument<string?>("PATTERN") { Arity = ArgumentArity.ZeroOrOne, Description = "Only agents matching this pattern (* ? [..])." };
        var listFormat = OutputRenderer.FormatOption();
        var list = new Command("list", "The quotas with today's (UTC) use, remaining and state.") { pattern, listFormat };
        list.SetAction(parse =>
        {
            var sink = context.Sink();
            var patterns = parse.GetValue(pattern) is { } p ? new[] { p } : null;
            var quotas = PipelineBridge.Run(sink, (operation, _) => Task.FromResult(context.Session.Quotas.Get(patterns, operation)), context.Cancellation);
            OutputRenderer.Write(context.Output, quotas, parse.GetValue(listFormat), parse.GetValue(listFormat) == OutputFormat.Table ? QuotaColumns : null);
            return sink.ExitCode;
        });

        var removeArgument = new Argument<string>("AGENT") { Description = "The agent whose quota to remove ('*' for the overall one)." };
        var remove = new Command("remove", "Remove a quota.") { removeArgument };
        remove.SetAction(parse =>
        {
            context.Session.Quotas.Remove(parse.GetValue(removeArgument)!);
            return 0;
        });

        return new Command("quota", "Daily token and cost quotas per agent and overall.") { set, list, remove };
    }

    private static Command Import(CliContext context)
    {
        var source = new Argument<UsageImportSource>("SOURCE") { Description = "claude, codex or gemini (claudecode, the old name, still works)." };
        var paths = new Argument<string[]>("PATH") { Arity = ArgumentArity.ZeroOrMore, Description = "Log files or folders instead of the source's default places." };
        var format = OutputRenderer.FormatOption();
        var command = new Command("import", "Add the model calls in an agent CLI's own logs to the ledger, each once.") { source, paths, format };
        command.SetAction(parse =>
        {
            var request = new ImportUsageRequest { Source = parse.GetValue(source), Path = parse.GetValue(paths) is { Length: > 0 } p ? p : null };
            var sink = context.Sink();
            var result = PipelineBridge.Run(sink, (operation, ct) => Task.FromResult(context.Session.Usage.Import(request, operation, ct)), context.Cancellation);
            OutputRenderer.Write(context.Output, [result], parse.GetValue(format));
            return sink.ExitCode;
        });
        return command;
    }

    internal static string[]? Split(string[]? values)
        => values is { Length: > 0 } ? [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))] : null;
}
