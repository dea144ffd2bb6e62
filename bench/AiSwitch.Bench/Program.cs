using System.Globalization;
using AiSwitch.Bench.Harness;
using AiSwitch.Bench.Suites;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace AiSwitch.Bench;

/// <summary>
/// The benchmark programs behind bench/run. Each command appends its figures to the results file
/// (<see cref="BenchResults.DefaultPath"/>); <c>report</c> prints the table.
/// <code>
/// cold-start --name N --exe PATH [--runs 30] [--warmup 3] [--goal-median-ms 150] [--issue 2] [--hyperfine-json F] -- ARGS…
/// suites [--filter NAME] [--scale 1]
/// report
/// rpc-figures                          the JSON-RPC round-trip, throughput and memory figures (issue 3), own table
/// bdn [BenchmarkDotNet arguments]     BenchmarkDotNet benchmarks; their reports join the table (see BenchResultExporter)
/// </code>
/// </summary>
public static class Program
{
    /// <summary>The in-process suites; one line per area.</summary>
    internal static IReadOnlyList<IBenchSuite> Suites =>
    [
        new StateFileSuite(),
        new EnvironmentSuite(),
        new AgentProtocolSuite(),
        new AgentSupervisionSuite(),
        new JsonRpcAgentSuite(),
        new FloodingAgentSuite(),
        new FanoutSuite(),
        new CliOverheadSuite(),
        new UsageSuite(),
    ];

    public static int Main(string[] args)
    {
        try
        {
            return Dispatch(args);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or KeyNotFoundException or FormatException)
        {
            Console.Error.WriteLine($"AiSwitch.Bench: {ex.Message}");
            return 1;
        }
    }

    private static int Dispatch(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: AiSwitch.Bench cold-start|suites|report|bdn … (see bench/README.md)");
            return 2;
        }

        if (args[0] == "usage-figures")
        {
            // Issue 6's ledger, import and sampler figures, printed as their own table (UsageFigures.cs).
            UsageFigures.Run(args[1..]);
            return 0;
        }

        var (options, rest) = Parse(args[1..]);
        switch (args[0])
        {
            case "cold-start":
                return ColdStartCommand(options, rest);
            case "suites":
                var scale = double.Parse(options.GetValueOrDefault("scale", "1"), CultureInfo.InvariantCulture);
                foreach (var suite in Suites.Where(s => !options.TryGetValue("filter", out var f) || s.Name.Contains(f, StringComparison.OrdinalIgnoreCase)))
                {
                    foreach (var result in suite.Run(scale))
                    {
                        BenchResults.Append(BenchResults.DefaultPath, result);
                    }
                }

                return 0;
            case "report":
                return Report.Print(Console.Out, BenchResults.Read(BenchResults.DefaultPath)) ? 0 : 1;
            case "rpc-figures":
                // Issue 3's JSON-RPC figures, printed as their own table (RpcBenchmarks.cs).
                RpcFigures.RunAsync().GetAwaiter().GetResult();
                return 0;
            case "bdn":
                // Every BenchmarkDotNet report also goes to the results file (the classes' own [Config]s are merged in).
                var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
                    .Run(args[1..], DefaultConfig.Instance.AddExporter(new BenchResultExporter(BenchResults.DefaultPath)));
                return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
            default:
                Console.Error.WriteLine($"AiSwitch.Bench: unknown command '{args[0]}'.");
                return 2;
        }
    }

    private static int ColdStartCommand(Dictionary<string, string> options, string[] arguments)
    {
        var name = options["name"];
        var runs = int.Parse(options.GetValueOrDefault("runs", "30"), CultureInfo.InvariantCulture);
        var warmup = int.Parse(options.GetValueOrDefault("warmup", "3"), CultureInfo.InvariantCulture);
        var fromHyperfine = options.TryGetValue("hyperfine-json", out var json);
        var (samples, cpu) = fromHyperfine
            ? ColdStart.FromHyperfine(json!)
            : (ColdStart.Run(options["exe"], arguments, runs, warmup), double.NaN);
        var goal = options.TryGetValue("goal-median-ms", out var g) ? Goal.MedianAtMost(double.Parse(g, CultureInfo.InvariantCulture)) : null;
        int? issue = options.TryGetValue("issue", out var i) ? int.Parse(i, CultureInfo.InvariantCulture) : null;
        var notes = new[]
        {
            options.GetValueOrDefault("note"),
            double.IsNaN(cpu) ? null : string.Create(CultureInfo.InvariantCulture, $"mean CPU (user + system) {cpu:F1} ms per run"),
        }.OfType<string>().ToList();
        BenchResults.Append(BenchResults.DefaultPath, BenchResult.FromSamples(name, "ms", samples, goal, issue,
            tool: fromHyperfine ? "hyperfine" : "stopwatch", note: notes.Count > 0 ? string.Join("; ", notes) : null));
        return 0;
    }

    /// <summary>"--key value" pairs up to "--"; what follows "--" is passed on untouched.</summary>
    private static (Dictionary<string, string> Options, string[] Passed) Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--")
            {
                return (options, args[(i + 1)..]);
            }

            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--option value', found '{args[i]}'.");
            }

            options[args[i][2..]] = args[++i];
        }

        return (options, []);
    }
}
