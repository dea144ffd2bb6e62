using System.Diagnostics;
using System.Globalization;
using AiSwitch.Bench.Harness;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Core.Presets;
using AiSwitch.Core.Tasks;
using AiSwitch.MockProvider;

namespace AiSwitch.Bench.Suites;

/// <summary>
/// Issues 4 and 5: N = 10 real <c>codex exec</c> runs against an in-process mock provider, through AiSwitch (the codex
/// adapter via the registry and the task engine) and directly by a bash loop with the same arguments
/// (<see cref="CodexAdapter.ExecArguments"/>) and environment (PATH, HOME, a private CODEX_HOME, the key). Sequential:
/// coordinator wall overhead per task (goal ≤ 5 %) and the coordinator's own CPU per task (goal ≤ 20 ms); parallel:
/// the engine's wall for one task on each of 10 codex agents against bash <c>&amp;</c> and <c>wait</c> (goal ≤ 1.05 ×).
/// Codex is the one tests/e2e installs (tests/e2e/node_modules/.bin/codex); without it the suite says so and records nothing.
/// </summary>
public sealed class CliOverheadSuite : IBenchSuite
{
    private const int Runs = 10;
    private const string Prefix = "/bench";
    private const string Model = "gpt-5.1-codex";
    private const string Key = "sk-bench-codex-key";

    public string Name => "cli-overhead";

    public IEnumerable<BenchResult> Run(double scale) => RunAsync().GetAwaiter().GetResult();

    /// <summary>tests/e2e/node_modules/.bin/codex, found from the current directory upwards.</summary>
    private static string? FindCodex()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "e2e", "node_modules", ".bin", "codex");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static async Task<IReadOnlyList<BenchResult>> RunAsync()
    {
        if (OperatingSystem.IsWindows() || FindCodex() is not { } codex)
        {
            Console.Error.WriteLine("cli-overhead: codex not found at tests/e2e/node_modules/.bin/codex (run from the repository; "
                + "`dotnet build tests/e2e` installs it with npm ci). Nothing recorded.");
            return [];
        }

        await using var mock = await MockProviderServer.StartAsync();
        mock.SetDefault(new MockReply { Text = "bench reply", Usage = new MockUsage { InputTokens = 20, OutputTokens = 5 } }, Prefix);
        var baseUrl = mock.UrlFor(Prefix) + "/v1";
        await using var session = TaskSession.Create("cli");
        new PresetStore(session.Home).Create(new NewPresetRequest
        {
            Name = "mock",
            Variables = new Dictionary<string, string> { ["OPENAI_BASE_URL"] = baseUrl, ["OPENAI_API_KEY"] = Key },
        });
        for (var i = 1; i <= Runs; i++)
        {
            session.Register($"codex-{i}", AdapterNames.Codex, codex, [], "mock", Model);
        }

        var direct = new DirectCodex(codex, baseUrl, session.Root, session.WorkingDirectory);

        // Warm both paths (Node's compile cache, the engine's JIT), then the sequential loops, alternating.
        await direct.RunAsync(1, parallel: false);
        await SequentialAsync(session, 1);
        var engineSequential = new List<double>();
        var bashSequential = new List<double>();
        var cpu = new List<double>();
        var mockCpu = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            // This process also hosts the mock provider: its CPU while bash drives codex is the mock's share, taken off the engine's.
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            bashSequential.Add(await direct.RunAsync(Runs, parallel: false) / Runs);
            var cpuBetween = Process.GetCurrentProcess().TotalProcessorTime;
            engineSequential.Add(await SequentialAsync(session, Runs) / Runs);
            var cpuAfter = Process.GetCurrentProcess().TotalProcessorTime;
            mockCpu.Add((cpuBetween - cpuBefore).TotalMilliseconds / Runs);
            cpu.Add(((cpuAfter - cpuBetween) - (cpuBetween - cpuBefore)).TotalMilliseconds / Runs);
        }

        var bashParallel = await direct.RunAsync(Runs, parallel: true);
        var engineParallel = await ParallelAsync(session);
        var overhead = engineSequential.Zip(bashSequential, (e, b) => (e - b) / b * 100).ToList();
        return
        [
            BenchResult.FromSamples($"codex exec per task, bash loop of {Runs}", "ms", bashSequential, issue: 4, tool: "bash + mock provider"),
            BenchResult.FromSamples($"codex exec per task via the task engine, {Runs} in sequence", "ms", engineSequential, issue: 4, tool: "in-process + mock provider"),
            BenchResult.FromSamples("codex coordinator wall overhead per task", "%", overhead, Goal.MedianAtMost(5), issue: 4, tool: "in-process + bash",
                note: "(engine − bash) / bash, per-task means of each loop; each sample one round of both"),
            BenchResult.FromSamples("codex coordinator CPU per task", "ms", cpu, Goal.MedianAtMost(20), issue: 4, tool: "in-process",
                note: string.Create(CultureInfo.InvariantCulture,
                    $"this process's CPU per task over the engine's loop minus the same over the bash loop (the in-process mock's share, median {Statistics.Of(mockCpu).Median:0.0} ms); codex's own CPU not counted")),
            BenchResult.FromSamples($"codex parallel N={Runs}: engine wall / bash & + wait wall", "x", [engineParallel / bashParallel], Goal.MedianAtMost(1.05), issue: 5,
                tool: "in-process + bash", note: string.Create(CultureInfo.InvariantCulture,
                    $"engine {engineParallel:0} ms, bash {bashParallel:0} ms; parallel efficiency {bashParallel / engineParallel * 100:0}%")),
        ];
    }

    /// <summary>N tasks on codex-1 (max concurrency 1), so one after another; the wall of all.</summary>
    private static async Task<double> SequentialAsync(TaskSession session, int tasks)
    {
        var started = Stopwatch.GetTimestamp();
        var results = await session.InvokeAsync(new InvokeTaskRequest
        {
            Tasks = [.. Enumerable.Range(0, tasks).Select(i => new TaskSpec { Prompt = "bench" })],
            Agents = [session.Names[0]],
            Mode = TaskMode.Distribute,
        });
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        TaskSession.EnsureAllSucceeded(results, tasks);
        return elapsed;
    }

    /// <summary>One task on each of the ten codex agents at once.</summary>
    private static async Task<double> ParallelAsync(TaskSession session)
    {
        var started = Stopwatch.GetTimestamp();
        var results = await session.InvokeAsync(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "bench" }], Agents = session.Names, Mode = TaskMode.Parallel });
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        TaskSession.EnsureAllSucceeded(results, session.Names.Count);
        return elapsed;
    }

    /// <summary>The same codex command line run by bash: in a loop one after another, or all with <c>&amp;</c> and <c>wait</c>.</summary>
    private sealed class DirectCodex(string codex, string baseUrl, string root, string workingDirectory)
    {
        public async Task<double> RunAsync(int runs, bool parallel)
        {
            const string Run = "run() { i=$1; shift; mkdir -p \"$CODEX_ROOT/$i\"; printf bench | CODEX_HOME=\"$CODEX_ROOT/$i\" \"$@\" >/dev/null; }; ";
            var script = parallel
                ? Run + $"for i in $(seq {runs}); do run $i \"$@\" & done; s=0; for p in $(jobs -p); do wait $p || s=1; done; exit $s"
                : Run + $"for i in $(seq {runs}); do run $i \"$@\" || exit 1; done";
            var info = new ProcessStartInfo("bash") { UseShellExecute = false, WorkingDirectory = workingDirectory, RedirectStandardError = true };
            info.Environment.Clear();
            foreach (var name in new[] { "PATH", "HOME", "TMPDIR" })
            {
                if (Environment.GetEnvironmentVariable(name) is { } value)
                {
                    info.Environment[name] = value;
                }
            }

            info.Environment["OPENAI_API_KEY"] = Key;
            info.Environment["CODEX_ROOT"] = Path.Combine(root, "direct-codex-home");
            foreach (var arg in (string[])["-c", script, "bash", codex, .. CodexAdapter.ExecArguments(baseUrl, "OPENAI_API_KEY", Model, null, null)])
            {
                info.ArgumentList.Add(arg);
            }

            var started = Stopwatch.GetTimestamp();
            using var process = Process.Start(info) ?? throw new InvalidOperationException("bash did not start.");
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return process.ExitCode == 0 ? elapsed : throw new InvalidOperationException($"The direct codex loop failed (exit {process.ExitCode}): {errors}");
        }
    }
}
