using AiSwitch.Core.Environments;
using AiSwitch.Core.Home;
using AiSwitch.Core.Presets;

namespace AiSwitch.Core.Tests.Environments;

/// <summary>A private home folder per test, and the switch engine over it.</summary>
internal sealed class EnvironmentTestHome : IDisposable
{
    public EnvironmentTestHome()
    {
        Root = Path.Combine(Path.GetTempPath(), "aiswitch-env-tests", Guid.NewGuid().ToString("N"));
        Home = new AiHome(Root).EnsureCreated();
        Snapshots = new SnapshotStore(Home, durable: false);
        Log = new EnvironmentLog(Home, TimeProvider.System);
        Switcher = new EnvironmentSwitcher(Snapshots, TimeProvider.System, Log, new SnapshotDisplay(_ => null, (_, v) => Redaction.MaskValue(v)));
    }

    public string Root { get; }

    public AiHome Home { get; }

    public SnapshotStore Snapshots { get; }

    public EnvironmentLog Log { get; }

    public EnvironmentSwitcher Switcher { get; }

    public ManagedEnvironment Session(IProcessEnvironment environment) => new SessionManagedEnvironment(environment, new object());

    public ManagedEnvironment Agent(string name) => new AgentManagedEnvironment(Home, name, durable: false);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>An environment whose Set fails for one variable name: a switch that breaks halfway.</summary>
internal sealed class FailingEnvironment(IProcessEnvironment inner, string failOn) : IProcessEnvironment
{
    public int FailedSets { get; private set; }

    public string? Get(string name) => inner.Get(name);

    public void Set(string name, string? value)
    {
        if (name == failOn)
        {
            FailedSets++;
            throw new InvalidOperationException("the environment block refused the change");
        }

        inner.Set(name, value);
    }

    public IReadOnlyDictionary<string, string> GetAll() => inner.GetAll();
}
