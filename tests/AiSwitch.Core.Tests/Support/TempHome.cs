using AiSwitch.Core.Home;

namespace AiSwitch.Core.Tests.Support;

/// <summary>A throw-away home folder per test; never the user's ~/.aiswitch.</summary>
public sealed class TempHome : IDisposable
{
    public TempHome()
    {
        Root = Path.Combine(Path.GetTempPath(), "aiswitch-tests", Guid.NewGuid().ToString("N"));
        Home = new AiHome(Root);
    }

    public string Root { get; }

    internal AiHome Home { get; }

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
