using System.Text.Json.Serialization;
using AiSwitch.Core.Home;

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

    public IReadOnlyList<AiTask> Read() => _file.Read()?.Tasks ?? [];

    /// <summary>Records the task unless a record with its id exists (the run may already have written its own).</summary>
    public void PutIfAbsent(AiTask task) => _file.Update(current =>
        current?.Tasks.Any(t => t.TaskId == task.TaskId) == true ? current : new TaskBoardFile { Tasks = [.. current?.Tasks ?? [], task] }, durable: false);

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

            return new TaskBoardFile { Tasks = tasks };
        }, durable: false);

        // A task the board forgets takes its results with it, so state/tasks/ stays as small as the board.
        foreach (var id in dropped)
        {
            File.Delete(_files.Results(id).Path);
        }
    }
}

internal sealed class TaskBoardFile
{
    public List<AiTask> Tasks { get; init; } = [];
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(TaskBoardFile))]
internal sealed partial class TasksJsonContext : JsonSerializerContext;
