using System.Diagnostics;
using System.Text.Json;

namespace AiSwitch.Bench.Harness;

/// <summary>
/// Wall time of a whole process, from start to exit: what a user waits for when typing a command. bench/run
/// uses hyperfine when it is installed (and imports its JSON here); otherwise this Stopwatch runner.
/// </summary>
public static class ColdStart
{
    /// <summary>Runs the command with this process's environment (bench/run points AISWITCH_HOME at a temporary folder).</summary>
    public static IReadOnlyList<double> Run(string executable, IReadOnlyList<string> arguments, int runs, int warmup)
        => Measure.Milliseconds(() => RunOnce(executable, arguments), runs, warmup);

    /// <summary>
    /// The per-run wall times of hyperfine's --export-json, in milliseconds, and the mean user + system CPU time,
    /// which a busy machine disturbs much less than the wall time.
    /// </summary>
    public static (IReadOnlyList<double> Samples, double CpuMilliseconds) FromHyperfine(string jsonPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(jsonPath));
        var result = document.RootElement.GetProperty("results")[0];
        if (result.TryGetProperty("exit_codes", out var codes) && codes.EnumerateArray().Any(c => c.ValueKind == JsonValueKind.Number && c.GetInt32() != 0))
        {
            throw new InvalidOperationException($"The measured command failed in some runs (exit codes in {jsonPath}); its time would mean nothing.");
        }

        var samples = result.GetProperty("times").EnumerateArray().Select(t => t.GetDouble() * 1000).ToList();
        return (samples, (result.GetProperty("user").GetDouble() + result.GetProperty("system").GetDouble()) * 1000);
    }

    /// <summary>
    /// Runs the command once to its exit, with <paramref name="environment"/> over this process's; its wall time in
    /// milliseconds. A failing run throws with its stderr: its time would mean nothing.
    /// </summary>
    public static double RunOnce(string executable, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        Task.WaitAll(output, error);
        var elapsed = watch.Elapsed.TotalMilliseconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{executable} {string.Join(' ', arguments)}' exited with {process.ExitCode}: {error.Result.Trim()}");
        }

        return elapsed;
    }
}
