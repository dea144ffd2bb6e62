using System.Diagnostics;

namespace AiSwitch.Core.Tests.Support;

/// <summary>Starts tests/AiSwitch.TestHost as a separate process (built beside this test project by its ProjectReference).</summary>
public static class TestHostProcess
{
    public static string AssemblyPath { get; } = Locate();

    public static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(AssemblyPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("Could not start the test host.");
    }

    private static string Locate()
    {
        // tests/AiSwitch.Core.Tests/bin/<Configuration>/net10.0/ → tests/AiSwitch.TestHost/bin/<Configuration>/net10.0/
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(here);
        var configuration = Path.GetFileName(Path.GetDirectoryName(here)!);
        var testsDir = Path.GetFullPath(Path.Combine(here, "..", "..", "..", ".."));
        var path = Path.Combine(testsDir, "AiSwitch.TestHost", "bin", configuration, framework, "AiSwitch.TestHost.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The test host was not built at '{path}'. Build tests/AiSwitch.Core.Tests, which builds it.", path);
    }
}
