using System.Diagnostics;
using AiSwitch.Core.Home;
using AiSwitch.Core.Hosting;
using Xunit;

namespace AiSwitch.Core.Tests.Locking;

/// <summary>A home folder of its own under the temp folder, removed afterwards. Tests never touch ~/.aiswitch.</summary>
internal sealed class TempHome : IDisposable
{
    public TempHome()
    {
        Root = Path.Combine(Path.GetTempPath(), "aiswitch-tests", Guid.NewGuid().ToString("N"));
        Home = new AiHome(Root).EnsureCreated();
    }

    public string Root { get; }

    public AiHome Home { get; }

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

/// <summary>A clock a test moves by hand.</summary>
internal sealed class ManualClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Records what an operation reports, and answers ShouldProcess as told (false is -WhatIf).</summary>
internal sealed class RecordingContext : IOperationContext
{
    public RecordingContext(bool shouldProcess = true) => Answer = shouldProcess;

    public bool Answer { get; }

    public List<string> Warnings { get; } = [];

    public List<AiSwitchException> Errors { get; } = [];

    public List<string> Asked { get; } = [];

    public void WriteVerbose(string message)
    {
    }

    public void WriteWarning(string message) => Warnings.Add(message);

    public void WriteError(AiSwitchException error) => Errors.Add(error);

    public void WriteProgress(OperationProgress progress)
    {
    }

    public ValueTask<bool> ShouldProcessAsync(string target, string action, CancellationToken cancellationToken = default)
    {
        Asked.Add(target);
        return ValueTask.FromResult(Answer);
    }
}

/// <summary>
/// Starts tests/AiSwitch.TestHost as a separate process (<c>dotnet AiSwitch.TestHost.dll VERB ARGS…</c>). This test
/// project builds it through a ProjectReference with ReferenceOutputAssembly=false, so it sits in its own output
/// folder with the same configuration and target framework as ours; that folder is found by walking up from ours.
/// </summary>
internal static class TestHost
{
    private const string Name = "AiSwitch.TestHost";

    private static readonly Lazy<string> Dll = new(Locate);

    /// <summary>The longest any scenario may take before a test gives up on it (a failure bound, not a wait).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Dll.Value);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    /// <summary>Runs a verb to its end; fails the test with its stderr if it exits non-zero.</summary>
    public static async Task RunAsync(params string[] args)
    {
        using var process = Start(args);
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Patience);
        Assert.True(process.ExitCode == 0, $"{Name} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
    }

    /// <summary>Starts <c>lock-hold</c> and waits until the child holds the lock; returns the child and its lock id.</summary>
    public static async Task<(Process Process, string LockId)> HoldAsync(AiHome home, string name, string mode)
    {
        var process = Start("lock-hold", home.Root, name, mode);
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(Patience)
            ?? throw new InvalidOperationException($"lock-hold ended without holding: {await process.StandardError.ReadToEndAsync()}");
        var parts = line.Split(' ');
        Assert.Equal("held", parts[0]);
        Assert.Equal(process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), parts[1]);
        return (process, parts[2]);
    }

    /// <summary>The pid of a process that has run and exited (and been reaped).</summary>
    public static async Task<int> ExitedPidAsync()
    {
        using var process = Start("no-such-verb");
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Patience);
        return process.Id;
    }

    private static string Locate()
    {
        var ours = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var targetFramework = ours.Name;
        var configuration = ours.Parent?.Name ?? "Debug";
        var tried = new List<string>();
        for (var dir = ours.Parent; dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[]
            {
                Path.Combine(dir.FullName, Name, "bin", configuration, targetFramework, Name + ".dll"),
                Path.Combine(dir.FullName, "tests", Name, "bin", configuration, targetFramework, Name + ".dll"),
                Path.Combine(dir.FullName, "artifacts", "bin", Name, configuration.ToLowerInvariant(), Name + ".dll"),
            })
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }

                tried.Add(candidate);
            }
        }

        throw new FileNotFoundException($"{Name}.dll was not found; build tests/{Name} first. Looked in: {string.Join(", ", tried.Distinct())}");
    }
}
