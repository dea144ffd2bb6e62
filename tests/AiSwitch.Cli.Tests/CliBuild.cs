namespace AiSwitch.Cli.Tests;

/// <summary>The aiswitch app host built by src/AiSwitch.Cli, for tests that need it as a separate process.</summary>
public static class CliBuild
{
    public static string AppHost { get; } = Locate();

    private static string Locate()
    {
        // tests/AiSwitch.Cli.Tests/bin/<Configuration>/net10.0/ → src/AiSwitch.Cli/bin/<Configuration>/net8.0/aiswitch
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var configuration = Path.GetFileName(Path.GetDirectoryName(here)!);
        var root = Path.GetFullPath(Path.Combine(here, "..", "..", "..", "..", ".."));
        var path = Path.Combine(root, "src", "AiSwitch.Cli", "bin", configuration, "net8.0", OperatingSystem.IsWindows() ? "aiswitch.exe" : "aiswitch");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The aiswitch app host was not built at '{path}'. Build src/AiSwitch.Cli.", path);
    }
}

/// <summary>Sets an environment variable for the length of a test.</summary>
public sealed class EnvironmentOverride : IDisposable
{
    private readonly string _name;
    private readonly string? _previous;

    public EnvironmentOverride(string name, string? value)
    {
        _name = name;
        _previous = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose() => Environment.SetEnvironmentVariable(_name, _previous);
}
