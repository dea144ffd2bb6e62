using System.Text;
using AiSwitch.Core.Home;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Presets;

namespace AiSwitch.Core.Tests.Presets;

/// <summary>A throw-away home folder per test, so nothing touches the real ~/.aiswitch.</summary>
public sealed class TempPresetHome : IDisposable
{
    public TempPresetHome()
    {
        Root = Path.Combine(Path.GetTempPath(), "aiswitch-presets-" + Guid.NewGuid().ToString("N"));
        Home = new AiHome(Path.Combine(Root, "home"));
        Store = new PresetStore(Home);
    }

    public string Root { get; }

    internal AiHome Home { get; }

    internal PresetStore Store { get; }

    /// <summary>Writes a preset file as a user (or another tool) would, bypassing the store.</summary>
    public string WritePresetFile(string name, string yaml) => WriteBytes(Path.Combine(Home.PresetsDir, name + ".yaml"), Encoding.UTF8.GetBytes(yaml));

    public string WriteBytes(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public NewPresetRequest NewRequest(string name, params (string Key, string Value)[] variables) => new()
    {
        Name = name,
        Variables = variables.ToDictionary(v => v.Key, v => v.Value),
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}

/// <summary>An operation context that records what an operation reports.</summary>
public sealed class RecordingContext : IOperationContext
{
    private readonly Func<string, bool> _shouldProcess;

    public RecordingContext(Func<string, bool>? shouldProcess = null) => _shouldProcess = shouldProcess ?? (_ => true);

    public List<AiSwitchException> Errors { get; } = [];

    public List<string> Warnings { get; } = [];

    public List<string> Verbose { get; } = [];

    public List<string> Asked { get; } = [];

    public void WriteVerbose(string message) => Verbose.Add(message);

    public void WriteWarning(string message) => Warnings.Add(message);

    public void WriteError(AiSwitchException error) => Errors.Add(error);

    public void WriteProgress(OperationProgress progress)
    {
    }

    public ValueTask<bool> ShouldProcessAsync(string target, string action, CancellationToken cancellationToken = default)
    {
        Asked.Add(target);
        return ValueTask.FromResult(_shouldProcess(target));
    }
}
