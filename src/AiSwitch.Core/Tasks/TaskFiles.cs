using System.Text.Json.Serialization;
using AiSwitch.Core.Home;

namespace AiSwitch.Core.Tasks;

/// <summary>
/// What a background task leaves under <c>state/tasks/</c> for the other sessions and processes, each file written whole
/// (temporary file, then rename) and 0600: <c>ID.request.json</c> (the request its owner process runs),
/// <c>ID.results.json</c> (every result, once the task has ended) and <c>ID.cancel</c> (another process asks the owner
/// to cancel). The board in <c>state/tasks.json</c> says who owns each task and how far it is.
/// </summary>
internal sealed class TaskFiles
{
    private readonly AiHome _home;

    public TaskFiles(AiHome home) => _home = home;

    public string Directory => _home.Ensure(Path.Combine(_home.StateDir, "tasks"));

    public JsonStateFile<InvokeTaskRequest> Request(string taskId)
        => new(Path.Combine(Directory, TaskPlanner.ValidateId(taskId) + ".request.json"), TaskFilesJsonContext.Default.InvokeTaskRequest);

    public JsonStateFile<TaskResultsFile> Results(string taskId)
        => new(Path.Combine(Directory, TaskPlanner.ValidateId(taskId) + ".results.json"), TaskFilesJsonContext.Default.TaskResultsFile);

    /// <summary>Asks the task's owner, in whatever process it runs, to cancel it.</summary>
    public void RequestCancel(string taskId) => AtomicFile.Write(CancelMarker(taskId), [], durable: false);

    public bool CancelRequested(string taskId) => File.Exists(CancelMarker(taskId));

    /// <summary>Removes what only the running task needed (its request and any cancel request); its results stay.</summary>
    public void Finished(string taskId)
    {
        File.Delete(CancelMarker(taskId));
        File.Delete(Request(taskId).Path);
    }

    private string CancelMarker(string taskId) => Path.Combine(Directory, TaskPlanner.ValidateId(taskId) + ".cancel");
}

internal sealed class TaskResultsFile
{
    public List<TaskResult> Results { get; init; } = [];
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(InvokeTaskRequest))]
[JsonSerializable(typeof(TaskResultsFile))]
internal sealed partial class TaskFilesJsonContext : JsonSerializerContext;
