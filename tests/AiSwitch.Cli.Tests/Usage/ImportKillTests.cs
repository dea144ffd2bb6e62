using System.Diagnostics;
using System.Text.Json;
using AiSwitch.Core.Home;
using AiSwitch.Core.Usage;
using Xunit.Abstractions;

namespace AiSwitch.Cli.Tests.Usage;

/// <summary>
/// Issue 11 item 5: `aiswitch tokens import` SIGKILLed at random points, again and again in the same home, then run once
/// to the end, leaves the ledger equal to one clean import in a fresh home: every call once, no torn line.
/// </summary>
public sealed class ImportKillTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 12;
    private readonly CliRunner.TempHome _home = new();
    private readonly CliRunner.TempHome _clean = new();
    private readonly string _logs = Path.Combine(Path.GetTempPath(), "aiswitch-tests", "kill-logs-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _home.Dispose();
        _clean.Dispose();
        if (Directory.Exists(_logs))
        {
            Directory.Delete(_logs, recursive: true);
        }
    }

    [Fact]
    public async Task KilledImportsThenOneToTheEndEqualOneCleanImport()
    {
        var random = new Random(Environment.TickCount);
        var tokens = Path.Combine(_home.Root, "state", "tokens");
        var imports = Path.Combine(_home.Root, "state", "imports");
        var journal = Path.Combine(imports, "claudecode.keys.pending");
        var keys = Path.Combine(imports, "claudecode.keys");
        var calls = 0;
        var landed = new List<string>();
        for (var i = 0; i < Kills; i++)
        {
            // New calls on every day each time, so every run has a whole import to commit (and to be killed in).
            calls += WriteClaudeLogs(Path.Combine(_logs, "batch-" + i), days: 24, sessionsPerDay: 5, callsPerSession: 60, seed: i);
            var sizes = DayFiles.In(tokens).ToDictionary(d => d.Path, d => new FileInfo(d.Path).Length);
            var keysSize = File.Exists(keys) ? new FileInfo(keys).Length : 0;
            // A random point, each awaited from what this import has written so far (never a guessed sleep).
            var k = random.Next(1, 25);
            var (name, reached) = random.Next(4) switch
            {
                0 => ("at start", (Func<bool>)(() => true)),
                1 => ("journal written", () => File.Exists(journal)),
                2 => ($"{k} of 24 day files appended", () => DayFiles.In(tokens).Count(d => new FileInfo(d.Path).Length > sizes.GetValueOrDefault(d.Path)) >= k),
                _ => ("keys being appended", () => File.Exists(keys) && new FileInfo(keys).Length > keysSize),
            };
            using var import = Start(_home.Root);
            while (!reached() && !import.HasExited)
            {
                await Task.Yield();
            }

            var exitedFirst = import.HasExited;
            import.Kill(entireProcessTree: true);
            await import.WaitForExitAsync();
            landed.Add($"{name}: {(exitedFirst ? "finished before the kill" : File.Exists(journal) ? "killed while committing" : "killed")}");
        }

        var last = await RunAsync(_home.Root);
        var reference = await RunAsync(_clean.Root);

        output.WriteLine(string.Join('\n', landed));
        Assert.Equal(0, last.Code);
        Assert.Equal(0, reference.Code);
        Assert.Equal(calls, PerDay(_clean.Root).Values.Sum(d => d.Calls));
        Assert.Equal(PerDay(_clean.Root), PerDay(_home.Root));
        Assert.False(File.Exists(journal));
        Assert.DoesNotContain("unreadable", last.Stderr, StringComparison.Ordinal);
        // Where the kills land is up to the scheduler; the output says which hit the commit. The recovery of a commit cut
        // off in the middle of a line is pinned down deterministically in Core.Tests' ImportAllOrNothingTests.
    }

    /// <summary>Per UTC day: calls, input, output, cache reads, and lines no reader can parse (torn).</summary>
    private static SortedDictionary<string, (long Calls, long Input, long Output, long CacheRead, long Torn)> PerDay(string home)
    {
        var days = new SortedDictionary<string, (long, long, long, long, long)>(StringComparer.Ordinal);
        foreach (var (path, _) in DayFiles.In(Path.Combine(home, "state", "tokens")))
        {
            long calls = 0, input = 0, output = 0, cacheRead = 0, torn = 0;
            foreach (var line in File.ReadLines(path).Where(l => l.Length > 0))
            {
                try
                {
                    var record = JsonDocument.Parse(line).RootElement;
                    calls++;
                    input += record.GetProperty("input").GetInt64();
                    output += record.GetProperty("output").GetInt64();
                    cacheRead += record.TryGetProperty("cache_read", out var c) ? c.GetInt64() : 0;
                }
                catch (JsonException)
                {
                    torn++;
                }
            }

            days[Path.GetFileName(path)] = (calls, input, output, cacheRead, torn);
        }

        return days;
    }

    private Process Start(string home)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "aiswitch.dll"), "tokens", "import", "claude", _logs })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[AiHome.HomeVariable] = home;
        return Process.Start(start)!;
    }

    private async Task<(int Code, string Stderr)> RunAsync(string home)
    {
        using var process = Start(home);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await stdout;
        return (process.ExitCode, await stderr);
    }

    private static int WriteClaudeLogs(string root, int days, int sessionsPerDay, int callsPerSession, int seed)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 10, 1, 6, 0, 0, TimeSpan.Zero);
        var folder = Path.Combine(root, "-home-user-project");
        Directory.CreateDirectory(folder);
        var calls = 0;
        for (var day = 0; day < days; day++)
        {
            for (var s = 0; s < sessionsPerDay; s++)
            {
                var session = Guid.NewGuid().ToString();
                File.WriteAllLines(Path.Combine(folder, session + ".jsonl"), Enumerable.Range(0, callsPerSession).Select(c => JsonSerializer.Serialize(new
                {
                    type = "assistant", sessionId = session, requestId = "req_" + Guid.NewGuid().ToString("N"), uuid = Guid.NewGuid().ToString(),
                    timestamp = start.AddDays(day).AddMinutes((s * callsPerSession) + c),
                    message = new
                    {
                        id = "msg_" + Guid.NewGuid().ToString("N"), model = "claude-opus-4-8",
                        usage = new { input_tokens = random.Next(1, 500), cache_read_input_tokens = random.Next(0, 20000), output_tokens = random.Next(1, 2000) },
                    },
                })));
                calls += callsPerSession;
            }
        }

        return calls;
    }
}
