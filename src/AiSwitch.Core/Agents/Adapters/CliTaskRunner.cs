using System.Text;

namespace AiSwitch.Core.Agents.Adapters;

/// <summary>What to run for one task of a one-process-per-task CLI adapter.</summary>
internal sealed class CliTaskSpec
{
    public required ProcessLaunchRequest Launch { get; init; }

    /// <summary>Written to the agent's stdin, which is then closed; null closes stdin at once.</summary>
    public string? StdinText { get; init; }

    /// <summary>The agent as users know it ("Claude Code"), for messages.</summary>
    public required string DisplayName { get; init; }

    /// <summary>The output the agent must print ("stream-json events"), for messages.</summary>
    public required string ProtocolName { get; init; }

    public required TimeSpan Timeout { get; init; }

    public required IProcessLauncher Launcher { get; init; }
}

/// <summary>
/// Runs one agent CLI process for one task through the registry's <see cref="IProcessLauncher"/>: reads its stdout
/// lines into the adapter's parser, reports progress, and ends at the agent's final event (not its exit, which can
/// lag), at the end of its output, at the task timeout, or on cancellation — the last two kill the process tree.
/// </summary>
internal static class CliTaskRunner
{
    /// <summary>How long to wait for the exit code once the final event arrived before killing the tree.</summary>
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(2);

    /// <summary>How long a killed tree may take to go (TERM, then KILL after the supervisor's grace).</summary>
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(1);

    /// <summary>Lines of something else before any protocol line after which the agent is not speaking it at all.</summary>
    private const int GarbageLimit = 50;

    public static async Task<AgentRunResult> RunAsync(CliTaskSpec spec, AgentEventParser parser, IAgentRunObserver observer, CancellationToken cancellationToken)
    {
        var agent = spec.Launch.AgentName;
        var progress = new TurnProgress(parser, observer);
        await using var process = spec.Launcher.Start(spec.Launch);
        observer.OnProcess(process);
        observer.OnStarted(process.Pid);
        using var deadline = new CancellationTokenSource(spec.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);

        // Killing the tree closes stdout, so a pending read ends even where a pipe read ignores the token.
        using (linked.Token.Register(process.KillTree))
        {
            // The prompt is fed while stdout is read, so a large prompt cannot deadlock against a full stdout pipe.
            var feeding = WriteStdinAsync(process, spec.StdinText, linked.Token);
            try
            {
                using var reader = new StreamReader(process.Stdout, Encoding.UTF8);
                while (await reader.ReadLineAsync(linked.Token).ConfigureAwait(false) is { } line && !progress.Accept(line))
                {
                    if (parser.ProtocolLines == 0 && parser.NonProtocolLines >= GarbageLimit)
                    {
                        process.KillTree();
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                // Judged below, with the tree already being killed.
            }
            catch (IOException)
            {
                // The stdout pipe broke: the process died; what it printed so far is judged below.
            }

            if (!feeding.IsCompleted)
            {
                // Its output ended while its prompt was still being written: it is not reading stdin any more.
                process.KillTree();
            }

            await feeding.ConfigureAwait(false);
        }

        if (linked.IsCancellationRequested && !parser.Completed)
        {
            await KillAsync(process).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                // The usage the agent reported before it was stopped is kept, as on a timeout.
                throw new RunCancelledException(Result(parser.Outcome(), process.Pid, progress.Elapsed, progress.FirstToken, exitCode: null,
                    ErrorId.TaskCancelled, $"Agent '{agent}' ({spec.DisplayName}) was cancelled; its process tree was killed."), cancellationToken);
            }

            return Result(parser.Outcome(), process.Pid, progress.Elapsed, progress.FirstToken, exitCode: null,
                ErrorId.TaskTimeout,
                $"Agent '{agent}' ({spec.DisplayName}) did not finish within {spec.Timeout.TotalSeconds:0.#} s; its process tree was killed. "
                + "Give the task a longer timeout, or check the provider its preset points at.");
        }

        var exitCode = await ExitCodeAsync(process).ConfigureAwait(false);
        var outcome = parser.Outcome();
        return parser.Completed
            ? Result(outcome, process.Pid, progress.Elapsed, progress.FirstToken, exitCode)
            : Result(outcome, process.Pid, progress.Elapsed, progress.FirstToken, exitCode,
                Unfinished(parser, exitCode, process.RecentStderr), NoFinalEvent(spec, parser, outcome, exitCode, process.RecentStderr));
    }

    /// <summary>
    /// Why a process ended without its final event: a command it needs is missing, a credential or the network failed
    /// (its stderr or first line says so), it printed something else than its protocol, it stopped its output (exit 0),
    /// or else it crashed.
    /// </summary>
    internal static ErrorId Unfinished(AgentEventParser parser, int? exitCode, string stderr)
    {
        var said = FailureClassifier.ClassifyExit(string.Join('\n', parser.FirstNonProtocolLine, stderr), exitCode);
        return said != ErrorId.AgentCrashed ? said
            : (parser.ProtocolLines == 0 && parser.FirstNonProtocolLine is not null) || exitCode == 0 ? ErrorId.AgentProtocolViolation
            : ErrorId.AgentCrashed;
    }

    /// <summary>The normalized result; <paramref name="failure"/> and <paramref name="error"/> override the agent's own verdict.</summary>
    internal static AgentRunResult Result(TurnOutcome outcome, int? pid, TimeSpan duration, TimeSpan? firstToken, int? exitCode,
        ErrorId? failure = null, string? error = null) => new()
    {
        Text = outcome.Text,
        Success = failure is null && outcome.Success,
        Error = error ?? outcome.Error,
        ErrorId = failure ?? (outcome.Success ? null : FailureClassifier.Classify(outcome.Error, outcome.HttpStatus)),
        ExitCode = exitCode,
        AgentErrorCode = outcome.AgentCode,
        AgentSessionId = outcome.SessionId,
        Model = outcome.Model,
        RequestIds = outcome.RequestIds,
        InputTokens = outcome.Tokens.Input,
        OutputTokens = outcome.Tokens.Output,
        CacheReadTokens = outcome.Tokens.CacheRead,
        CacheWriteTokens = outcome.Tokens.CacheWrite,
        CacheWrite1hTokens = outcome.Tokens.CacheWrite1h,
        ReasoningTokens = outcome.Tokens.Reasoning,
        CostUsd = outcome.CostUsd,
        CostSource = outcome.CostUsd is null ? CostSource.None : CostSource.Agent,
        Duration = duration,
        TimeToFirstToken = firstToken,
        Retryable = outcome.Retryable,
        Pid = pid,
    };

    private static string NoFinalEvent(CliTaskSpec spec, AgentEventParser parser, TurnOutcome outcome, int? exitCode, string stderr) =>
        NoFinalEvent(spec.Launch.AgentName, spec.DisplayName, spec.ProtocolName, spec.Launch.FileName, parser, outcome, exitCode, stderr);

    /// <summary>Why a task has no result: the agent printed something else, nothing, or stopped before its final event.</summary>
    internal static string NoFinalEvent(string agent, string displayName, string protocolName, string command, AgentEventParser parser,
        TurnOutcome outcome, int? exitCode, string stderr)
    {
        var exit = exitCode is { } code ? $"exited with code {code}" : "stopped its output";
        var fix = $"Check that its command '{command}' runs {displayName} (set another with Register-AiAgent -Name {agent} -Command <path> -Force); its stderr is in logs/agents/{agent}.log.";
        if (parser.ProtocolLines == 0)
        {
            var printed = parser.FirstNonProtocolLine is { } first
                ? $"it printed '{first}' instead"
                : StderrHint(stderr) is { } hint ? $"it printed nothing on stdout; stderr ends with '{hint}'" : "it printed nothing";
            return $"Agent '{agent}' ({displayName}) {exit} without its {protocolName}: {printed}. {fix}";
        }

        var error = outcome.Error is { } message ? $" Its last error: {message}" : "";
        return $"Agent '{agent}' ({displayName}) {exit} before its final '{parser.FinalEventName}' event.{error} {fix}";
    }

    private static string? StderrHint(string stderr)
    {
        var last = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return last is null ? null : last.Length > 200 ? last[..200] + "…" : last;
    }

    private static async Task WriteStdinAsync(AgentProcess process, string? text, CancellationToken cancellationToken)
    {
        if (text is null || process.Stdin == Stream.Null)
        {
            return;
        }

        try
        {
            await using var stdin = process.Stdin;
            await stdin.WriteAsync(new UTF8Encoding(false).GetBytes(text), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The agent exited (or was killed) before reading its whole prompt; its output, or the lack of it, says why.
        }
    }

    /// <summary>The exit code, once stdout has ended or the final event arrived; a process that lingers past a short grace is killed.</summary>
    private static async Task<int?> ExitCodeAsync(AgentProcess process)
    {
        try
        {
            return await process.Exited.WaitAsync(ExitGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await KillAsync(process).ConfigureAwait(false);
            return null;
        }
    }

    internal static async Task KillAsync(AgentProcess process)
    {
        process.KillTree();
        try
        {
            await process.Exited.WaitAsync(KillWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The supervisor's SIGKILL follows its grace; disposing the process makes sure of it.
        }
    }
}
