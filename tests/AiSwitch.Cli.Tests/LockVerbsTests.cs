using System.Diagnostics;
using System.Text.Json;
using AiSwitch.Core.Home;
using AiSwitch.Core.Locking;
using Xunit;

namespace AiSwitch.Cli.Tests;

/// <summary>
/// <c>aiswitch lock …</c> run as a real process (<c>dotnet aiswitch.dll</c>) with its own AISWITCH_HOME, so the
/// lock holder is a process of its own and this test process's environment is left alone.
/// </summary>
public sealed class LockVerbsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "aiswitch-cli-tests", Guid.NewGuid().ToString("N"));
    private readonly AiHome _home;
    private readonly LockOperations _locks;

    public LockVerbsTests()
    {
        _home = new AiHome(Path.Combine(_root, "home")).EnsureCreated();
        _locks = new LockOperations(_home);
    }

    public void Dispose()
    {
        _locks.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Theory]
    [InlineData("exit 0", 0)]
    [InlineData("exit 7", 7)]
    [InlineData("exit 255", 255)]
    public async Task RunPassesTheCommandsExitCodeThrough(string script, int expected)
    {
        var (code, _, stderr) = await RunAsync("lock", "run", "build", "--", "sh", "-c", script);

        Assert.True(expected == code, stderr);
        Assert.Empty(_locks.List());
    }

    [Fact]
    public async Task RunGivesTheCommandItsArgumentsAndStdout()
    {
        var (code, stdout, _) = await RunAsync("lock", "run", "build", "--shared", "--", "sh", "-c", "echo \"$0|$1\"", "--timeout", "two words");

        Assert.Equal(0, code);
        Assert.Equal("--timeout|two words", stdout.Trim());
    }

    [Fact]
    public async Task RunHoldsTheLockWhileTheCommandRuns()
    {
        var ready = MakeFifo("ready");
        var go = MakeFifo("go");
        using var run = Start("lock", "run", "build", "--", "sh", "-c", "echo started > \"$0\"; read reply < \"$1\"; exit 5", ready, go);

        // Returns once the command has started under the lock and written to the pipe.
        Assert.Equal("started", (await Task.Run(() => File.ReadAllText(ready)).WaitAsync(Patience)).Trim());

        var error = await Assert.ThrowsAsync<AiSwitchException>(() => _locks.AcquireAsync(new AcquireLockRequest("build") { Timeout = TimeSpan.Zero }));
        Assert.Equal(ErrorId.LockTimeout, error.Id);
        Assert.Contains($"pid {run.Id}", error.Message, StringComparison.Ordinal);
        var holder = Assert.Single(_locks.List("build"));
        Assert.Equal(run.Id, holder.OwnerPid);

        await Task.Run(() => File.WriteAllText(go, "go\n")).WaitAsync(Patience);
        await run.WaitForExitAsync().WaitAsync(Patience);

        Assert.Equal(5, run.ExitCode);
        await using var free = await _locks.AcquireAsync(new AcquireLockRequest("build") { Timeout = TimeSpan.Zero });
    }

    [Fact]
    public async Task AKilledHolderLeavesTheLockHeldUntilItsCommandEnds()
    {
        var ready = MakeFifo("ready");
        var go = MakeFifo("go");
        var order = Path.Combine(_root, "order");
        // The command SIGKILLs the aiswitch holding the lock, says so, and runs on until told to end.
        using var first = Start("lock", "run", "build", "--", "sh", "-c",
            "kill -9 $PPID; echo killed > \"$0\"; read reply < \"$1\"; echo first-ended >> \"$2\"", ready, go, order);
        Assert.Equal("killed", (await Task.Run(() => File.ReadAllText(ready)).WaitAsync(Patience)).Trim());
        await first.WaitForExitAsync().WaitAsync(Patience);
        Assert.Equal(137, first.ExitCode);

        // The holder is gone but its command runs: the lock is not free, for a try-once nor for a waiting `lock run`.
        var refused = await Assert.ThrowsAsync<AiSwitchException>(() => _locks.AcquireAsync(new AcquireLockRequest("build") { Timeout = TimeSpan.Zero }));
        Assert.Equal(ErrorId.LockTimeout, refused.Id);
        using var second = Start("lock", "run", "build", "--timeout", "120", "--", "sh", "-c", "echo second-started >> \"$0\"", order);
        await Task.Run(() => File.WriteAllText(go, "go\n")).WaitAsync(Patience);
        await second.WaitForExitAsync().WaitAsync(Patience);

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(["first-ended", "second-started"], File.ReadAllLines(order));
    }

    [Fact]
    public async Task RunTimesOutWithTheLockTimeoutExitCodeNamingTheHolder()
    {
        await using var held = await _locks.AcquireAsync(new AcquireLockRequest("build"));

        var (code, stdout, stderr) = await RunAsync("lock", "run", "build", "--timeout", "0.2", "--", "sh", "-c", "echo ran");

        Assert.Equal(ErrorKind.Timeout.ExitCode(), code);
        Assert.StartsWith("aiswitch: LockTimeout (-40303): ", stderr, StringComparison.Ordinal);
        Assert.Contains($"pid {Environment.ProcessId}", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("ran", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListShowsEveryHolderAsJsonAndCsv()
    {
        await using var held = await _locks.AcquireAsync(new AcquireLockRequest("build") { Mode = LockMode.Shared });

        var (code, json, _) = await RunAsync("lock", "list", "--output-format", "json");
        Assert.Equal(0, code);
        var row = Assert.Single(JsonDocument.Parse(json).RootElement.EnumerateArray());
        Assert.Equal("build", row.GetProperty("name").GetString());
        Assert.Equal("shared", row.GetProperty("mode").GetString());
        Assert.Equal("held", row.GetProperty("state").GetString());
        Assert.Equal(Environment.ProcessId, row.GetProperty("owner_pid").GetInt32());
        Assert.Equal(held.LockId, row.GetProperty("lock_id").GetString());

        var (_, csv, _) = await RunAsync("lock", "list", "b*", "--output-format", "csv");
        var lines = csv.Trim().Split('\n');
        Assert.StartsWith("Name,Mode,OwnerPid,OwnerHost,", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("build,Shared,", Assert.Single(lines[1..]), StringComparison.Ordinal);

        var (_, table, _) = await RunAsync("lock", "list");
        Assert.StartsWith("Name ", table, StringComparison.Ordinal);
        Assert.Contains(held.LockId, table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CleanRemovesTheRecordOfAHolderThatWasKilled()
    {
        // The command SIGKILLs the aiswitch process holding the lock: the kernel frees the lock, the record stays.
        var (killed, _, _) = await RunAsync("lock", "run", "build", "--", "sh", "-c", "kill -9 $PPID");
        Assert.Equal(137, killed);
        var stale = Assert.Single(_locks.List());
        Assert.Equal(LockState.Stale, stale.State);

        var (code, removed, stderr) = await RunAsync("lock", "clean", "--output-format", "json");

        Assert.True(code == 0, stderr);
        Assert.Equal(stale.LockId, Assert.Single(JsonDocument.Parse(removed).RootElement.EnumerateArray()).GetProperty("lock_id").GetString());
        Assert.Empty(_locks.List());
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData(".hidden")]
    [InlineData("a b")]
    public async Task ABadNameIsInvalidLockName(string name)
    {
        var (code, _, stderr) = await RunAsync("lock", "run", name, "--", "true");

        Assert.Equal(ErrorKind.InvalidArgument.ExitCode(), code);
        Assert.StartsWith("aiswitch: InvalidLockName (-41301): ", stderr, StringComparison.Ordinal);
        Assert.Contains($"'{name}'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunWithoutACommandIsAUsageError()
    {
        var (code, _, stderr) = await RunAsync("lock", "run", "build");

        Assert.Equal(AiSwitchCli.UsageExitCode, code);
        Assert.Contains("lock run --help", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACommandThatCannotStartSaysSo()
    {
        var (code, _, stderr) = await RunAsync("lock", "run", "build", "--", "no-such-command-for-aiswitch");

        Assert.Equal(ErrorKind.InvalidArgument.ExitCode(), code);
        Assert.Contains("Cannot run 'no-such-command-for-aiswitch' under lock 'build': no such file", stderr, StringComparison.Ordinal);
        Assert.Empty(_locks.List());
    }

    private Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "aiswitch.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[AiHome.HomeVariable] = _home.Root;
        return Process.Start(start)!;
    }

    private async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Patience);
        return (process.ExitCode, await stdout, await stderr);
    }

    private string MakeFifo(string name)
    {
        var path = Path.Combine(_root, name);
        Directory.CreateDirectory(_root);
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }
}
