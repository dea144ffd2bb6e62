using System.Reflection;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;

namespace AiSwitch.Bench.Harness;

/// <summary>
/// Turns each BenchmarkDotNet report into a <see cref="BenchResult"/> line of the results file, so BDN benchmarks
/// appear in bench/run's table beside the others. Samples are the raw workload iterations (no outlier removal:
/// the tail is what p99 is about), per operation, in milliseconds; the goal comes from <see cref="BenchGoalAttribute"/>.
/// </summary>
public sealed class BenchResultExporter(string resultsPath) : IExporter
{
    public string Name => "aiswitch-results";

    public void ExportToLog(Summary summary, ILogger logger)
    {
    }

    public IEnumerable<string> ExportToFiles(Summary summary, ILogger consoleLogger)
    {
        foreach (var report in summary.Reports)
        {
            var runs = report.AllMeasurements
                .Where(m => m.IterationMode == IterationMode.Workload && m.IterationStage == IterationStage.Actual)
                .ToList();
            var descriptor = report.BenchmarkCase.Descriptor;
            var name = $"{descriptor.WorkloadMethodDisplayInfo.Trim('\'')} {report.BenchmarkCase.Parameters.DisplayInfo}".Trim();
            if (runs.Count == 0)
            {
                consoleLogger.WriteLineError($"{name}: no measurements (the benchmark failed); left out of the table.");
                continue;
            }

            var goal = descriptor.WorkloadMethod.GetCustomAttribute<BenchGoalAttribute>() ?? descriptor.Type.GetCustomAttribute<BenchGoalAttribute>();
            var operations = runs.Max(m => m.Operations);
            BenchResults.Append(resultsPath, BenchResult.FromSamples(
                name,
                "ms",
                runs.Select(m => m.Nanoseconds / m.Operations / 1_000_000.0).ToList(),
                goal?.Goal,
                goal is { Issue: > 0 } ? goal.Issue : null,
                tool: "BenchmarkDotNet",
                note: operations > 1 ? $"each sample is the mean of {operations} operations, so p99 is over iteration means, not single operations" : null));
        }

        return [resultsPath];
    }
}
