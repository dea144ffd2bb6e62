using System.Collections.Concurrent;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Locking;
using AiSwitch.Core.Tasks;
using AiSwitch.Core.Tests.Support;

namespace AiSwitch.Core.Tests.Tasks;

/// <summary>What one fake agent does with one invocation.</summary>
internal delegate Task<AgentRunResult> FakeBehaviour(AgentInvocation invocation, CancellationToken cancellationToken);

/// <summary>
/// A fake adapter: each agent name has a behaviour (latency, failure, hang…). It records every call, the live
/// count (for peak concurrency) and the order calls started in.
/// </summary>
internal sealed class FakeAdapter(string name = FakeAdapter.AdapterName) : IAgentAdapter
{
    public const string AdapterName = "fake";
    private readonly ConcurrentDictionary<string, FakeBehaviour> _behaviours = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, double> _progress = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _liveByAgent = new(StringComparer.OrdinalIgnoreCase);
    private int _live;

    public string Name => name;

    public IReadOnlyDictionary<string, string> QuietSettings { get; } = new Dictionary<string, string>();

    public bool IsLongLived => false;

    public string? DefaultCommand => null;

    private readonly TaskCompletionSource _firstCall = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<AgentInvocation> Calls { get; } = new();

    public ConcurrentQueue<string> StartOrder { get; } = new();

    public int PeakConcurrency { get; private set; }

    public ConcurrentDictionary<string, int> PeakByAgent { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Tokens of calls that ended because their token fired.</summary>
    public ConcurrentBag<string> CancelledCalls { get; } = [];

    public void On(string agent, FakeBehaviour behaviour) => _behaviours[agent] = behaviour;

    /// <summary>The agent reports this progress (as a JSON-RPC agent's task.status would) once its task has started.</summary>
    public void ReportProgress(string agent, double percent) => _progress[agent] = percent;

    /// <summary>Completes once the first call has reached the adapter.</summary>
    public Task FirstCall() => _firstCall.Task;

    public void ResetPeak()
    {
        lock (this)
        {
            PeakConcurrency = 0;
            PeakByAgent.Clear();
        }
    }

    public async Task<AgentRunResult> RunAsync(AgentInvocation invocation, IAgentRunObserver observer, CancellationToken cancellationToken)
    {
        Calls.Enqueue(invocation);
        _firstCall.TrySetResult();
        StartOrder.Enqueue($"{invocation.Agent.Name}:{invocation.Task.Id}");
        var live = Interlocked.Increment(ref _live);
        var agentLive = _liveByAgent.AddOrUpdate(invocation.Agent.Name, 1, (_, n) => n + 1);
        lock (this)
        {
            PeakConcurrency = Math.Max(PeakConcurrency, live);
            PeakByAgent[invocation.Agent.Name] = Math.Max(PeakByAgent.GetValueOrDefault(invocation.Agent.Name), agentLive);
        }

        try
        {
            observer.OnStarted(null);
            if (_progress.TryGetValue(invocation.Agent.Name, out var percent))
            {
                observer.OnProgress(percent);
            }

            var behaviour = _behaviours.GetValueOrDefault(invocation.Agent.Name) ?? FakeBehaviours.Answer("ok");
            return await behaviour(invocation, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            CancelledCalls.Add($"{invocation.Agent.Name}:{invocation.Task.Id}");
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _live);
            _liveByAgent.AddOrUpdate(invocation.Agent.Name, 0, (_, n) => n - 1);
        }
    }

    public ValueTask<AgentReadiness> CheckAsync(AgentDefinition agent, CancellationToken cancellationToken) => ValueTask.FromResult(AgentReadiness.Ready());
}

internal static class FakeBehaviours
{
    public static FakeBehaviour Answer(string text, int delayMs = 0, long input = 10, long output = 5, decimal? cost = null) => async (invocation, ct) =>
    {
        if (delayMs > 0)
        {
            await Task.Delay(delayMs, ct);
        }

        return new AgentRunResult { Text = text, Success = true, InputTokens = input, OutputTokens = output, CostUsd = cost, Model = "fake-model", Duration = TimeSpan.FromMilliseconds(delayMs) };
    };

    public static FakeBehaviour Echo(int delayMs = 0) => async (invocation, ct) =>
    {
        if (delayMs > 0)
        {
            await Task.Delay(delayMs, ct);
        }

        return new AgentRunResult { Text = $"{invocation.Agent.Name}<{invocation.Task.Context}|{invocation.Task.Prompt}>", Success = true };
    };

    public static FakeBehaviour Fail(string error, bool retryable = false, ErrorId? id = null) => (_, _) =>
        Task.FromResult(new AgentRunResult { Success = false, Error = error, Retryable = retryable, ErrorId = id ?? ErrorId.AgentNotResponding, ExitCode = 1 });

    /// <summary>Never answers; ends only when its token fires.</summary>
    public static FakeBehaviour Hang() => async (_, ct) =>
    {
        await Task.Delay(Timeout.Infinite, ct);
        throw new InvalidOperationException("unreachable");
    };

    /// <summary>Fails retryably for the first <paramref name="failures"/> calls, then answers.</summary>
    public static FakeBehaviour FlakyThenAnswer(int failures, string text)
    {
        var calls = 0;
        return (invocation, ct) => Interlocked.Increment(ref calls) <= failures
            ? Fail("429 Too Many Requests", retryable: true)(invocation, ct)
            : Answer(text)(invocation, ct);
    }
}

/// <summary>An engine over fake agents in a temporary home.</summary>
internal sealed class TaskEngineFixture : IDisposable
{
    private readonly TempHome _home = new();
    private readonly LockOperations _locks;

    public TaskEngineFixture(params AgentDefinition[] agents)
        : this([new FakeAdapter()], agents)
    {
    }

    /// <summary>An engine whose adapters are all fakes, e.g. one named like a built-in adapter ("claude-code").</summary>
    public TaskEngineFixture(IReadOnlyList<FakeAdapter> adapters, params AgentDefinition[] agents)
    {
        Adapter = adapters[0];
        Definitions = agents.Length > 0 ? agents : [TaskEngineFixture.Agent("a"), TaskEngineFixture.Agent("b"), TaskEngineFixture.Agent("c")];
        _locks = new LockOperations(_home.Home, sessionId: Guid.NewGuid().ToString());
        Supervisor = new ProcessSupervisor(_home.Home, "tests");
        Operations = new TaskOperations(_home.Home,
            new AdapterTaskAgents(Definitions, new AdapterCatalog(adapters), _home.Home, Supervisor, (_, _, _) => new Dictionary<string, string>()),
            _locks);
    }

    public FakeAdapter Adapter { get; }

    public IReadOnlyList<AgentDefinition> Definitions { get; }

    public ProcessSupervisor Supervisor { get; }

    public TaskOperations Operations { get; }

    public Core.Home.AiHome Home => _home.Home;

    public static AgentDefinition Agent(string name, int maxConcurrency = 1, params string[] tags) =>
        new() { Name = name, Adapter = FakeAdapter.AdapterName, MaxConcurrency = maxConcurrency, Tags = tags };

    public static InvokeTaskRequest Request(TaskMode mode, string prompt, params string[] agents) =>
        new() { Tasks = [new TaskSpec { Prompt = prompt }], Agents = agents, Mode = mode };

    public async Task<List<TaskResult>> RunAsync(InvokeTaskRequest request, IOperationContext? context = null, CancellationToken cancellationToken = default)
    {
        var results = new List<TaskResult>();
        await foreach (var result in Operations.InvokeAsync(request, context ?? SilentOperationContext.Instance, cancellationToken))
        {
            results.Add(result);
        }

        return results;
    }

    public void Dispose()
    {
        _locks.Dispose();
        _home.Dispose();
    }
}

/// <summary>Records verbose messages and progress, and answers ShouldProcess as told.</summary>
internal sealed class RecordingContext(bool agree = true) : IOperationContext
{
    public ConcurrentQueue<string> Verbose { get; } = new();

    public ConcurrentQueue<OperationProgress> Progress { get; } = new();

    public ConcurrentQueue<string> Asked { get; } = new();

    public void WriteVerbose(string message) => Verbose.Enqueue(message);

    public void WriteWarning(string message)
    {
    }

    public void WriteError(AiSwitchException error)
    {
    }

    public void WriteProgress(OperationProgress progress) => Progress.Enqueue(progress);

    public ValueTask<bool> ShouldProcessAsync(string target, string action, CancellationToken cancellationToken = default)
    {
        Asked.Enqueue($"{target}: {action}");
        return ValueTask.FromResult(agree);
    }
}
