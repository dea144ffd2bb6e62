using System.Globalization;

namespace AiSwitch.Bench.Harness;

/// <summary>Prints the one table of figures: benchmark, runs, median, p99, goal, pass/fail.</summary>
public static class Report
{
    private static readonly string[] Headers = ["benchmark", "runs", "median", "p99", "goal", "result"];

    /// <returns>False when any figure misses its goal.</returns>
    public static bool Print(TextWriter output, IReadOnlyList<BenchResult> results)
    {
        var rows = results.Select(r => new[]
        {
            r.Issue is { } issue ? $"{r.Name} (#{issue})" : r.Name,
            r.Runs.ToString(CultureInfo.InvariantCulture),
            Figure(r.Median, r.Unit),
            Figure(r.P99, r.Unit),
            r.Goal is { } goal ? $"{goal} {r.Unit}" : "-",
            r.Passed switch { true => "pass", false => "FAIL", null => "n/a" },
        }).ToList();
        var widths = Headers.Select((h, i) => Math.Max(h.Length, rows.Select(row => row[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        output.WriteLine(Line(Headers, widths));
        output.WriteLine(Line(widths.Select(w => new string('-', w)).ToArray(), widths));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row, widths));
        }

        foreach (var note in results.Where(r => r.Note is not null))
        {
            output.WriteLine($"note: {note.Name}: {note.Note}");
        }

        return results.All(r => r.Passed != false);
    }

    private static string Figure(double value, string unit)
        => value.ToString(value >= 100 ? "F0" : value >= 10 ? "F1" : "G3", CultureInfo.InvariantCulture) + " " + unit;

    private static string Line(string[] cells, int[] widths)
        => string.Join("  ", cells.Select((c, i) => i is 1 or 2 or 3 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
}
