using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// One long-lived Claude Code process (<c>--input-format stream-json</c>, agent-clis.md §1.3): one user line per task,
/// the task ends at its <c>result</c> line. Cancellation and timeouts interrupt the turn through the control protocol;
/// if the turn has not ended a second later the process tree is killed. <c>total_cost_usd</c> is cumulative for the
/// process, so each task reports the growth since the previous one. Switching the environment waits for the running
/// task, then replaces the process.
/// </summary>
internal sealed class ClaudeCodeSession : ILongLivedAgent
{
    /// <summary>How long an interrupted turn may take to end before the tree is killed.</summary>
    private static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(1);

    /// <summary>How long a new process may take to answer the initialize request.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly ClaudeCodeSessionAdapter _adapter;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly TaskCompletionSource<AgentExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private AgentLaunch _launch;
    private AgentProcess? _process;
    private ChannelReader<string> _lines = Channel.CreateUnbounded<string>().Reader;
    private decimal _processCost;
    private int _generation;
    private int _requests;
    private volatile bool _stopping;

    private ClaudeCodeSession(ClaudeCodeSessionAdapter adapter, AgentLaunch launch)
    {
        _adapter = adapter;
        _launch = launch;
    }

    public int? Pid => _process?.Pid;

    public Task<AgentExit> Exited => _exited.Task;

    public DateTimeOffset? LastHeartbeat { get; private set; }

    public static async Task<ClaudeCodeSession> StartAsync(ClaudeCodeSessionAdapter adapter, AgentLaunch launch, CancellationToken cancellationToken)
    {
        var session = new ClaudeCodeSession(adapter, launch);
        await session.StartProcessAsync(cancellationToken).ConfigureAwait(false);
        return session;
    }

    public ValueTask<AgentHealth> ProbeAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(_process is { HasExited: false }
            ? AgentHealth.Healthy
            : AgentHealth.Unhealthy($"Claude Code process of agent '{_launch.Agent.Name}' has exited."));

    public async Task<AgentRunResult> RunAsync(AgentInvocation invocation, IAgentRunObserver observer, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunTurnAsync(invocation, observer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    public async Task SwitchEnvironmentAsync(AgentLaunch newLaunch, CancellationToken cancellationToken)
    {
        // The running task (if any) finishes on the old process first.
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        var previous = _launch;
        try
        {
            await StopProcessAsync(InterruptGrace).ConfigureAwait(false);
            _launch = newLaunch;
            try
            {
                await StartProcessAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                _launch = previous;
                await StartProcessAsync(CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    public async Task StopAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _stopping = true;
        var exitCode = await StopProcessAsync(timeout).ConfigureAwait(false);
        _exited.TrySetResult(new AgentExit { ExitCode = exitCode, Reason = "Stopped on request.", Requested = true });
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(InterruptGrace, CancellationToken.None).ConfigureAwait(false);
        _turn.Dispose();
        _write.Dispose();
    }

    private async Task<AgentRunResult> RunTurnAsync(AgentInvocation invocation, IAgentRunObserver observer, CancellationToken cancellationToken)
    {
        var process = _process;
        var agent = _launch.Agent.Name;
        var parser = new ClaudeStreamParser(_processCost);
        var progress = new TurnProgress(parser, observer);
        if (process is null || process.HasExited)
        {
            return CliTaskRunner.Result(parser.Outcome(), process?.Pid, progress.Elapsed, null, process?.Exited.Result, ErrorId.AgentCrashed,
                $"Agent '{agent}' (Claude Code, long-lived) has exited; restart it with Restart-AiAgent -Name {agent}.");
        }

        observer.OnProcess(process);
        observer.OnStarted(process.Pid);
        var timeout = CliAgentAdapter.TimeoutOf(invocation);
        using var deadline = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var interrupted = false;
        try
        {
            await SendAsync(UserLine(invocation.Task.SystemPrompt, CliAgentAdapter.PromptOf(invocation.Task)), linked.Token).ConfigureAwait(false);
            await ReadTurnAsync(progress, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            interrupted = true;
            await InterruptAsync(process, progress).ConfigureAwait(false);
        }

        if (parser.Completed)
        {
            _processCost = parser.ProcessCostAfter;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var outcome = parser.Outcome();
        if (interrupted)
        {
            return CliTaskRunner.Result(outcome, process.Pid, progress.Elapsed, progress.FirstToken, null, ErrorId.TaskTimeout,
                $"Agent '{agent}' (Claude Code) did not finish within {timeout.TotalSeconds:0.#} s; the turn was interrupted. "
                + "Give the task a longer timeout, or check the provider its preset points at.");
        }

        return parser.Completed
            ? CliTaskRunner.Result(outcome, process.Pid, progress.Elapsed, progress.FirstToken, null)
            : CliTaskRunner.Result(outcome, process.Pid, progress.Elapsed, progress.FirstToken, process.HasExited ? process.Exited.Result : null,
                process.HasExited ? CliTaskRunner.Unfinished(parser, process.Exited.Result, process.RecentStderr) : ErrorId.AgentProtocolViolation,
                CliTaskRunner.NoFinalEvent(agent, "Claude Code", _adapter.ProtocolName, _adapter.CommandOf(_launch.Agent),
                    parser, outcome, process.HasExited ? process.Exited.Result : null, process.RecentStderr));
    }

    /// <summary>Reads lines until the turn's final event; returns early when the output ends.</summary>
    private async Task ReadTurnAsync(TurnProgress progress, CancellationToken cancellationToken)
    {
        while (await _lines.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_lines.TryRead(out var line))
            {
                if (progress.Accept(line))
                {
                    return;
                }
            }
        }
    }

    /// <summary>Asks the process to stop the turn; kills the tree when the turn has not ended within a second.</summary>
    private async Task InterruptAsync(AgentProcess process, TurnProgress progress)
    {
        using var grace = new CancellationTokenSource(InterruptGrace);
        try
        {
            await SendAsync(ControlRequest("interrupt"), grace.Token).ConfigureAwait(false);
            await ReadTurnAsync(progress, grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Not ended in time: handled below.
        }
        catch (IOException)
        {
            // stdin is gone: the process is exiting.
        }

        if (!progress.Parser.Completed)
        {
            await CliTaskRunner.KillAsync(process).ConfigureAwait(false);
        }
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var generation = Interlocked.Increment(ref _generation);
        var process = _launch.Supervisor.Start(_adapter.LongLivedRequest(_launch));
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _process = process;
        _lines = lines.Reader;
        _processCost = 0;
        _ = PumpAsync(process, lines.Writer);
        _ = WatchAsync(process, generation);

        // The process prints nothing before its first user line; an initialize request proves it reads and answers.
        using var deadline = new CancellationTokenSource(StartTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var id = $"aiswitch_{Interlocked.Increment(ref _requests)}";
        var parser = new ClaudeStreamParser();
        try
        {
            await SendAsync(ControlRequest("initialize", id), linked.Token).ConfigureAwait(false);
            while (await _lines.WaitToReadAsync(linked.Token).ConfigureAwait(false))
            {
                while (_lines.TryRead(out var line))
                {
                    parser.Accept(line);
                    if (parser.LastControlResponseId == id)
                    {
                        return;
                    }
                }
            }
        }
        catch (IOException)
        {
            // It exited before reading the request; what it printed says why.
        }
        catch (OperationCanceledException)
        {
            await CliTaskRunner.KillAsync(process).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        await CliTaskRunner.KillAsync(process).ConfigureAwait(false);
        try
        {
            await _lines.Completion.WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Quote what arrived so far.
        }

        while (_lines.TryRead(out var printed))
        {
            parser.Accept(printed);
        }

        var agent = _launch.Agent.Name;
        throw new AiSwitchException(ErrorId.AgentInitializationFailed,
            CliTaskRunner.NoFinalEvent(agent, "Claude Code", "answer to the initialize control request", _adapter.CommandOf(_launch.Agent),
                parser, parser.Outcome(), process.HasExited ? process.Exited.Result : null, process.RecentStderr),
            agent);
    }

    /// <summary>Stops the current process: closes its stdin (it exits after the pending turns), then kills the tree after the grace.</summary>
    private async Task<int?> StopProcessAsync(TimeSpan grace)
    {
        var process = Interlocked.Exchange(ref _process, null);
        if (process is null)
        {
            return null;
        }

        Interlocked.Increment(ref _generation);
        try
        {
            await process.Stdin.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException)
        {
            // Already gone.
        }

        int? exitCode;
        try
        {
            exitCode = await process.Exited.WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await CliTaskRunner.KillAsync(process).ConfigureAwait(false);
            exitCode = process.HasExited ? process.Exited.Result : null;
        }

        await process.DisposeAsync().ConfigureAwait(false);
        return exitCode;
    }

    private async Task PumpAsync(AgentProcess process, ChannelWriter<string> writer)
    {
        try
        {
            using var reader = new StreamReader(process.Stdout, Encoding.UTF8);
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                LastHeartbeat = DateTimeOffset.UtcNow;
                writer.TryWrite(line);
            }
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException)
        {
            // The process is gone; the writer completes below.
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private async Task WatchAsync(AgentProcess process, int generation)
    {
        var exitCode = await process.Exited.ConfigureAwait(false);
        if (generation == Volatile.Read(ref _generation) && !_stopping)
        {
            var stderr = process.RecentStderr.Trim();
            _exited.TrySetResult(new AgentExit
            {
                ExitCode = exitCode,
                Reason = $"Claude Code exited with code {exitCode}" + (stderr.Length > 0 ? $": {stderr.Split('\n')[^1]}" : "."),
            });
        }
    }

    private async Task SendAsync(string line, CancellationToken cancellationToken)
    {
        var process = _process ?? throw new InvalidOperationException("No Claude Code process.");
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await process.Stdin.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken).ConfigureAwait(false);
            await process.Stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>A user message line; a system prompt, which this mode cannot set per task, goes before the prompt.</summary>
    internal static string UserLine(string? systemPrompt, string prompt)
    {
        var text = string.IsNullOrWhiteSpace(systemPrompt) ? prompt : $"{systemPrompt}\n\n{prompt}";
        return Json(writer =>
        {
            writer.WriteString("type", "user");
            writer.WriteStartObject("message");
            writer.WriteString("role", "user");
            writer.WriteString("content", text);
            writer.WriteEndObject();
            writer.WriteNull("parent_tool_use_id");
            writer.WriteString("session_id", "");
        });
    }

    private string ControlRequest(string subtype, string? id = null)
    {
        id ??= $"aiswitch_{Interlocked.Increment(ref _requests)}";
        return Json(writer =>
        {
            writer.WriteString("type", "control_request");
            writer.WriteString("request_id", id);
            writer.WriteStartObject("request");
            writer.WriteString("subtype", subtype);
            writer.WriteEndObject();
        });
    }

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
