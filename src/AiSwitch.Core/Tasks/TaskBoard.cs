using System.Globalization;
using System.Text.Json.Serialization;
using AiSwitch.Core.Home;
using AiSwitch.Core.Locking;

namespace AiSwitch.Core.Tasks;

/// <summary>state/tasks.json: the batches of every session, newest last, the oldest finished ones pruned.</summary>
internal sealed class TaskBoard
{
    private const int Keep = 200;
    private readonly JsonStateFile<TaskBoardFile> _file;
    private readonly TaskFiles _files;

    public TaskBoard(AiHome home)
    {
        _files = new TaskFiles(home);
        home.Ensure(home.StateDir);
        _file = new JsonStateFile<TaskBoardFile>(Path.Combine(home.StateDir, "tasks.json"), TasksJsonContext.Default.TaskBoardFile);
    }

    /// <summary>
    /// The board. A task whose owner process died before it ended (killed: nothing will finish it) is marked Failed with
    /// the reason, on the file too, so every reader and `task wait` sees the same end and the board can prune it.
    /// </summary>
    public IReadOnlyList<AiTask> Read()
    {
        var board = _file.Read();
        if (board is null || !board.Tasks.Any(t => OwnerDied(board, t)))
        {
            return board?.Tasks ?? [];
        }

        try
        {
            return _file.Update(current => current is null ? new TaskBoardFile() : MarkOrphans(current), durable: false).Tasks;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or AiSwitchException)
        {
            return MarkOrphans(board).Tasks; // a home this session cannot write: still say what happened
        }
    }

    /// <summary>Records the task unless a record with its id exists (the run may already have written its own).</summary>
    public void PutIfAbsent(AiTask task) => _file.Update(current =>
        current?.Tasks.Any(t => t.TaskId == task.TaskId) == true
            ? current
            : new TaskBoardFile { Tasks = [.. current?.Tasks ?? [], task], OwnerStarts = WithOwner(current, task) },
        durable: false);

    public void Put(AiTask task)
    {
        var dropped = new HashSet<string>(StringComparer.Ordinal);
        _file.Update(current =>
        {
            var tasks = (current?.Tasks ?? []).Where(t => t.TaskId != task.TaskId).Append(task).ToList();
            var finished = tasks.Count(t => t.CompletedAt is not null);
            dropped.Clear();
            if (finished > Keep)
            {
                dropped.UnionWith(tasks.Where(t => t.CompletedAt is not null).Take(finished - Keep).Select(t => t.TaskId));
                tasks.RemoveAll(t => dropped.Contains(t.TaskId));
            }

            var owners = WithOwner(current, task);
            foreach (var id in owners.Keys.Where(id => !tasks.Any(t => t.TaskId == id)).ToList())
            {
                owners.Remove(id);
            }

            return new TaskBoardFile { Tasks = tasks, OwnerStarts = owners };
        }, durable: false);

        // A task the board forgets takes its results with it, so state/tasks/ stays as small as the board.
        foreach (var id in dropped)
        {
            File.Delete(_files.Results(id).Path);
        }
    }

    private static bool OwnerDied(TaskBoardFile board, AiTask task) =>
        task.CompletedAt is null
        && ProcessIdentity.Check(task.OwnerPid, board.OwnerStarts.GetValueOrDefault(task.TaskId)) != OwnerLiveness.Alive;

    private static TaskBoardFile MarkOrphans(TaskBoardFile board) => new()
    {
        OwnerStarts = board.OwnerStarts,
        Tasks = [.. board.Tasks.Select(task => !OwnerDied(board, task) ? task : new AiTask
        {
            TaskId = task.TaskId, Status = TaskState.Failed, Progress = task.Progress, Agents = task.Agents, Total = task.Total,
            Succeeded = task.Succeeded, Failed = task.Total - task.Succeeded, StartedAt = task.StartedAt, CompletedAt = DateTimeOffset.UtcNow,
            OwnerPid = task.OwnerPid, SessionId = task.SessionId, Prompt = task.Prompt, Mode = task.Mode,
            Reason = string.Create(CultureInfo.InvariantCulture,
                $"The process that ran it (pid {task.OwnerPid}) died before the task ended (it was killed or crashed); its unfinished work was not done and left no results. Run the task again."),
        })],
    };

    // The owner's start time beside its pid, so a pid the system has given to another process is not taken for the owner.
    private static Dictionary<string, string> WithOwner(TaskBoardFile? current, AiTask task)
    {
        var owners = new Dictionary<string, string>(current?.OwnerStarts ?? [], StringComparer.Ordinal);
        var start = task.OwnerPid == Environment.ProcessId ? ProcessIdentity.CurrentStartToken : ProcessIdentity.StartToken(task.OwnerPid);
        if (start is not null)
        {
            owners[task.TaskId] = start;
        }

        return owners;
    }
}

internal sealed class TaskBoardFile
{
    public List<AiTask> Tasks { get; init; } = [];

    /// <summary>Each task's owner process start-time token (<see cref="ProcessIdentity"/>), by task id.</summary>
    public Dictionary<string, string> OwnerStarts { get; init; } = [];
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(TaskBoardFile))]
internal sealed partial class TasksJsonContext : JsonSerializerContext;
