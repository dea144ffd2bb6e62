using AiSwitch.Core.Agents;
using AiSwitch.Core.Environments;
using AiSwitch.Core.Home;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Tasks;

namespace AiSwitch.Bench.Suites;

/// <summary>
/// A session with its own temp AISWITCH home (parent environment: PATH, HOME, DOTNET_ROOT, TMPDIR), its registry, and
/// the task engine over it; the suites register agents and run requests through TaskOperations.InvokeAsync.
/// </summary>
internal sealed class TaskSession : IAsyncDisposable
{
    private TaskSession(string root)
    {
        Root = root;
        Home = new AiHome(root).EnsureCreated();
        var parent = new Dictionary<string, string>();
        foreach (var name in new[] { "PATH", "HOME", "DOTNET_ROOT", "TMPDIR" })
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                parent[name] = value;
            }
        }

        Session = new AiSession(Home, new InMemoryEnvironment(parent));
        WorkingDirectory = Directory.CreateDirectory(Path.Combine(root, "work")).FullName;
    }

    public string Root { get; }

    public AiHome Home { get; }

    public AiSession Session { get; }

    /// <summary>Where the agents and the tasks run.</summary>
    public string WorkingDirectory { get; }

    /// <summary>The names registered, in order.</summary>
    public List<string> Names { get; } = [];

    public static TaskSession Create(string suite) => new(Path.Combine(Path.GetTempPath(), $"aiswitch-bench-{suite}-" + Guid.NewGuid().ToString("N")));

    public void Register(string name, string adapter, string command, IReadOnlyList<string> arguments, string? preset = null, string? model = null)
    {
        AgentRegistry.For(Session).Register(new RegisterAgentRequest
        {
            Name = name,
            Adapter = adapter,
            Command = command,
            Arguments = arguments,
            Preset = preset,
            Model = model,
            WorkingDirectory = WorkingDirectory,
            Force = true,
        });
        Names.Add(name);
    }

    public static void EnsureAllSucceeded(IReadOnlyList<TaskResult> results, int expected)
    {
        var failed = results.FirstOrDefault(r => !r.Success);
        if (results.Count != expected || failed is not null)
        {
            throw new InvalidOperationException($"Expected {expected} successful results, got {results.Count}; first failure: {failed?.Agent} {failed?.Status} {failed?.Error}");
        }
    }

    public async Task<IReadOnlyList<TaskResult>> InvokeAsync(InvokeTaskRequest request)
    {
        var results = new List<TaskResult>();
        await foreach (var result in TaskOperations.For(Session).InvokeAsync(request with { WorkingDirectory = WorkingDirectory }, SilentOperationContext.Instance))
        {
            results.Add(result);
        }

        return results;
    }

    public async ValueTask DisposeAsync()
    {
        await AgentRegistry.For(Session).DisposeAsync();
        Session.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
