using System.Text.Json.Serialization;
using AiSwitch.Core.Home;

namespace AiSwitch.Core.Tasks;

/// <summary>
/// One request (batch) as Start-AiTask, Get-AiTask and other sessions see it: state/tasks.json holds one per batch.
/// </summary>
public sealed class AiTask
{
    public required string TaskId { get; init; }

    public required TaskState Status { get; init; }

    /// <summary>0–100: the share of the batch's tasks that have finished.</summary>
    public int Progress { get; init; }

    public required string Agents { get; init; }

    public int Total { get; init; }

    public int Succeeded { get; init; }

    public int Failed { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public int OwnerPid { get; init; }

    public string? SessionId { get; init; }

    public string? Prompt { get; init; }

    public TaskMode Mode { get; init; }

    public override string ToString() => $"{TaskId} {Status} {Progress}%";
}

/// <summary>state/tasks.json: the batches of every session, newest last, the oldest finished ones pruned.</summary>
internal sealed class TaskBoard
{
    private const int Keep = 200;
    private readonly JsonStateFile<TaskBoardFile> _file;

    public TaskBoard(AiHome home)
    {
        home.Ensure(home.StateDir);
        _file = new JsonStateFile<TaskBoardFile>(Path.Combine(home.StateDir, "tasks.json"), TasksJsonContext.Default.TaskBoardFile);
    }

    public IReadOnlyList<AiTask> Read() => _file.Read()?.Tasks ?? [];

    /// <summary>Records the task unless a record with its id exists (the run may already have written its own).</summary>
    public void PutIfAbsent(AiTask task) => _file.Update(current =>
        current?.Tasks.Any(t => t.TaskId == task.TaskId) == true ? current : new TaskBoardFile { Tasks = [.. current?.Tasks ?? [], task] }, durable: false);

    public void Put(AiTask task)
    {
        _file.Update(current =>
        {
            var tasks = (current?.Tasks ?? []).Where(t => t.TaskId != task.TaskId).Append(task).ToList();
            var finished = tasks.Count(t => t.CompletedAt is not null);
            if (finished > Keep)
            {
                var drop = tasks.Where(t => t.CompletedAt is not null).Take(finished - Keep).Select(t => t.TaskId).ToHashSet();
                tasks.RemoveAll(t => drop.Contains(t.TaskId));
            }

            return new TaskBoardFile { Tasks = tasks };
        }, durable: false);
    }
}

internal sealed class TaskBoardFile
{
    public List<AiTask> Tasks { get; init; } = [];
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(TaskBoardFile))]
internal sealed partial class TasksJsonContext : JsonSerializerContext;
