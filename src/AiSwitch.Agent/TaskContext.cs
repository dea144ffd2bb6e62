namespace AiSwitch.Agent;

/// <summary>What a running task can see and use besides the task itself.</summary>
public sealed class TaskContext
{
    private readonly TaskEntry _entry;
    private readonly TimeProvider _clock;
    private readonly TextWriter _log;

    internal TaskContext(TaskEntry entry, EnvironmentView environment, Coordinator coordinator, TimeProvider clock, TextWriter log)
    {
        _entry = entry;
        Environment = environment;
        Coordinator = coordinator;
        _clock = clock;
        _log = log;
    }

    public string TaskId => _entry.Task.Id;

    /// <summary>
    /// The agent's environment as it was when this task started. A later env.switch does not change it, so pass exactly
    /// these variables to whatever the task starts (a CLI, an HTTP client).
    /// </summary>
    public EnvironmentView Environment { get; }

    /// <summary>Calls to the coordinator: locks, events, token reports.</summary>
    public Coordinator Coordinator { get; }

    /// <summary>Sets the progress (0–100) that task.status reports.</summary>
    public void ReportProgress(double percent) => _entry.ReportProgress(percent, _clock.GetUtcNow());

    /// <summary>Writes one line to the agent's log (stderr; stdout carries the protocol). Never log secret values.</summary>
    public void Log(string message) => AgentLog.Write(_log, $"task {TaskId}: {message}");
}

internal static class AgentLog
{
    public static void Write(TextWriter log, string message)
    {
        lock (log)
        {
            log.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {message}");
            log.Flush();
        }
    }
}
