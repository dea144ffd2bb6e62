using AiSwitch.Core.Agents;
using AiSwitch.Core.Home;

namespace AiSwitch.Core.Tests.Agents.Adapters;

/// <summary>A temp folder with its own AiSwitch home and a real process supervisor, for adapter tests that run scripts.</summary>
public abstract class SupervisedFolder : IAsyncLifetime
{
    protected string Root { get; } = Directory.CreateTempSubdirectory("aiswitch-adapter-").FullName;

    private protected AiHome Home { get; private set; } = null!;

    private protected ProcessSupervisor Supervisor { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Home = new AiHome(Path.Combine(Root, "home")).EnsureCreated();
        Supervisor = new ProcessSupervisor(Home, "adapter-test");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Supervisor.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }

    protected static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, deadline.Token); // polling /proc: there is nothing to await
        }
    }

    /// <summary>Records the pid a task started and the kinds of events it reported.</summary>
    protected sealed class RecordingObserver : IAgentRunObserver
    {
        private readonly List<string> _events = [];

        public TaskCompletionSource<int> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<string> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public void OnStarted(int? pid) => Started.TrySetResult(pid!.Value);

        public void OnFirstToken()
        {
        }

        public void OnText(string delta)
        {
        }

        public void OnEvent(string kind)
        {
            lock (_events)
            {
                _events.Add(kind);
            }
        }
    }
}
