using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace AiSwitch.E2E.Tests;

/// <summary>What one CLI run produced; <paramref name="LastLineAt"/> is when the last stdout line (the final event) arrived.</summary>
internal sealed record CliRun(int ExitCode, IReadOnlyList<string> StdoutLines, string Stderr, TimeSpan Elapsed, TimeSpan LastLineAt)
{
    /// <summary>The stdout lines that are JSON objects (NDJSON events), parsed.</summary>
    public IReadOnlyList<JsonElement> Events => this.StdoutLines
        .Where(line => line.StartsWith('{'))
        .Select(line => JsonDocument.Parse(line).RootElement.Clone())
        .ToList();

    /// <summary>"exit 0: last event at 412 ms, exit at 531 ms".</summary>
    public string Timing => $"exit {this.ExitCode}: last event at {this.LastLineAt.TotalMilliseconds:F0} ms, exit at {this.Elapsed.TotalMilliseconds:F0} ms";

    public string Describe() => $"exit {this.ExitCode} after {this.Elapsed.TotalMilliseconds:F0} ms\n--- stdout\n{string.Join('\n', this.StdoutLines)}\n--- stderr\n{this.Stderr}";
}

/// <summary>
/// Runs the agent CLIs installed by <c>npm ci</c> in tests/e2e, each in a temp HOME with a minimal environment (PATH and
/// what the caller passes), bounded by a timeout that kills the whole process tree and fails the test.
/// </summary>
internal sealed class AgentCli : IDisposable
{
    private static readonly string E2eDirectory = typeof(AgentCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "E2eDirectory").Value!;

    /// <summary>How long one CLI run may take (they take 1–9 s here; the slack is for a loaded 2-core machine).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public AgentCli()
    {
        this.Home = Directory.CreateTempSubdirectory("aiswitch-e2e-").FullName;
        this.WorkingDirectory = Directory.CreateDirectory(Path.Combine(this.Home, "work")).FullName;
    }

    /// <summary>The temp HOME of this run (never the real one).</summary>
    public string Home { get; }

    /// <summary>An empty folder under <see cref="Home"/> the CLI runs in.</summary>
    public string WorkingDirectory { get; }

    /// <summary>The path of an npm bin (<c>claude</c>, <c>codex</c>, <c>gemini</c>); fails the test when it is not installed.</summary>
    public static string Bin(string name)
    {
        var path = Path.Combine(E2eDirectory, "node_modules", ".bin", name);
        Assert.True(File.Exists(path),
            $"The {name} CLI is not installed at {path}. Run `npm ci --no-audit --no-fund` in {E2eDirectory} (building the e2e project does it).");
        return path;
    }

    public async Task<CliRun> RunAsync(string bin, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Bin(bin))
        {
            WorkingDirectory = this.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        start.Environment["HOME"] = this.Home;
        start.Environment["TMPDIR"] = Directory.CreateDirectory(Path.Combine(this.Home, "tmp")).FullName;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var stdout = new List<string>();
        var stderr = new StringBuilder();
        var stopwatch = new Stopwatch();
        var lastLineAt = TimeSpan.Zero;
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stdout)
                {
                    stdout.Add(e.Data);
                    lastLineAt = stopwatch.Elapsed;
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };

        stopwatch.Start();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"{bin} did not finish within {timeout.TotalSeconds:F0} s; its process tree was killed.\n"
                + new CliRun(-1, Snapshot(stdout), stderr.ToString(), stopwatch.Elapsed, lastLineAt).Describe());
        }

        // WaitForExitAsync also waits for the redirected streams to reach end of file.
        return new CliRun(process.ExitCode, Snapshot(stdout), stderr.ToString(), stopwatch.Elapsed, lastLineAt);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(this.Home, recursive: true);
        }
        catch (IOException)
        {
            // A CLI's leftover child may still hold a file; the temp folder is cleaned by the OS later.
        }
        catch (UnauthorizedAccessException)
        {
            // Same: some CLIs write read-only files.
        }
    }

    private static List<string> Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }
}
