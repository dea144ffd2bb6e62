using System.Text;
using AiSwitch.Core.Tasks;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Parsing;

namespace AiSwitch.Core.Home;

/// <summary>
/// <c>logs/coordinator.jsonl</c> (seed 001): one JSON object per coordinator event — agents starting, stopping and
/// restarting, tasks starting and ending, environment switches and rollbacks, quota refusals, alerts — from every
/// session and process on the home. Serilog's file sink in shared mode writes each event whole under a system-wide
/// mutex, so processes appending at once never tear a line; it rolls the file at coordination.yaml's log.max_bytes.
/// Fields are names, ids, statuses and counts only: no value of any variable, no prompt, no output, no message text
/// an agent wrote, so no secret can reach it. Writing never fails an operation: Serilog swallows sink errors.
/// </summary>
internal sealed class CoordinatorLog : IDisposable
{
    public const string FileName = "coordinator.jsonl";

    private static readonly MessageTemplate Template = new MessageTemplateParser().Parse("{event}");

    private readonly Logger _logger;
    private readonly TimeProvider _clock;
    private readonly LogEventProperty _session;
    private readonly LogEventProperty _pid = new("pid", new ScalarValue(Environment.ProcessId));

    public CoordinatorLog(AiHome home, string sessionId, TimeProvider clock, long maxBytes, int keep)
    {
        _clock = clock;
        _session = new LogEventProperty("session", new ScalarValue(sessionId));
        var path = Path.Combine(home.Ensure(home.LogsDir), FileName);
        MakePrivate(home.LogsDir, path);
        _logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .WriteTo.File(new CompactJsonFormatter(), path, fileSizeLimitBytes: maxBytes, rollOnFileSizeLimit: true,
                retainedFileCountLimit: keep, shared: true, encoding: new UTF8Encoding(false))
            .CreateLogger();
    }

    /// <summary>The session's log, with coordination.yaml's rotation (the defaults when that file is unreadable).</summary>
    public static CoordinatorLog For(AiSession session) => session.GetService(s =>
    {
        CoordinationConfig config;
        try
        {
            config = CoordinationConfig.Load(s.Home);
        }
        catch (AiSwitchException)
        {
            // The command that reads the file reports what is wrong with it; logging must not fail in its place.
            config = CoordinationConfig.Default;
        }

        return new CoordinatorLog(s.Home, s.Id.ToString("N"), s.Clock, config.LogMaxBytes, config.LogKeep);
    });

    public static string PathIn(AiHome home) => Path.Combine(home.LogsDir, FileName);

    /// <summary>One event; null fields are left out. Values are scalars (strings, numbers, booleans) only.</summary>
    public void Write(string eventName, params (string Name, object? Value)[] fields)
    {
        var properties = new List<LogEventProperty>(fields.Length + 3)
        {
            new("event", new ScalarValue(eventName)),
            _session,
            _pid,
        };
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                properties.Add(new LogEventProperty(name, new ScalarValue(value is Enum ? value.ToString()!.ToLowerInvariant() : value)));
            }
        }

        _logger.Write(new LogEvent(_clock.GetUtcNow(), LogEventLevel.Information, null, Template, properties));
    }

    public void TaskStarted(string taskId, string? batchId, string agent, int attempt)
        => Write("task.start", ("task_id", taskId), ("batch_id", batchId), ("agent", agent), ("attempt", attempt));

    public void TaskEnded(TaskResult result) => Write("task.end",
        ("task_id", result.TaskId), ("batch_id", result.BatchId), ("agent", result.Agent), ("status", result.Status),
        ("error_id", result.ErrorId), ("duration_ms", result.DurationMs), ("input_tokens", result.InputTokens), ("output_tokens", result.OutputTokens));

    public void Dispose() => _logger.Dispose();

    /// <summary>
    /// Every file of the home is 0600, but Serilog creates its files with the umask's mode and takes no lifecycle hooks
    /// in shared mode. So the file is created 0600 before the sink opens it, and files a roll created since the last
    /// session (readable only through the 0700 logs/ folder meanwhile) are made 0600 here.
    /// </summary>
    private static void MakePrivate(string directory, string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (new FileStream(path, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete, UnixCreateMode = Private }))
            {
            }

            foreach (var file in Directory.EnumerateFiles(directory, Path.GetFileNameWithoutExtension(FileName) + "*" + Path.GetExtension(FileName)))
            {
                if (File.GetUnixFileMode(file) != Private)
                {
                    File.SetUnixFileMode(file, Private);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another user's file in a shared home stays as they made it; the log is written as far as it can be.
        }
    }
}
