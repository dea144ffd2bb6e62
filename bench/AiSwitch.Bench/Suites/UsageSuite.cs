using System.Globalization;
using AiSwitch.Bench.Harness;
using AiSwitch.Core.Home;
using AiSwitch.Core.Tests.Usage;

namespace AiSwitch.Bench.Suites;

/// <summary>
/// Issue 11's speed figures, each a whole cold <c>aiswitch</c> process as a user types it (the Release build of
/// src/AiSwitch.Cli):
/// <list type="bullet">
/// <item><c>aiswitch tokens summary --all</c> over a ledger of 1,000,000 records (goal: median ≤ 1 s);</item>
/// <item><c>aiswitch tokens import claude</c> into a fresh home plus <c>aiswitch tokens summary --all --group-by day</c>
/// over 200,000 Claude Code calls (about 450 MB of logs), against <c>ccusage daily</c> 20.0.24 on the same files,
/// alternating in the same run (goal: ccusage's median ≥ 2 × ours);</item>
/// <item>the import run again when it adds nothing (goal: median ≤ 1 s).</item>
/// </list>
/// ccusage is bench/node_modules/.bin/ccusage (<c>npm ci --prefix bench</c>, which bench/run does); it runs with HOME
/// pointed at an empty folder and CLAUDE_CONFIG_DIR at the fixture, offline, so it reads these files and no others.
/// </summary>
public sealed class UsageSuite : IBenchSuite
{
    private const int Issue = 11;

    public string Name => "usage";

    public IEnumerable<BenchResult> Run(double scale)
    {
        var root = Path.Combine(Path.GetTempPath(), "aiswitch-usage-suite-" + Guid.NewGuid().ToString("N"));
        try
        {
            return Figures(root, scale).ToList();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static IEnumerable<BenchResult> Figures(string root, double scale)
    {
        var repository = RepositoryRoot();
        var cli = Path.Combine(repository, "src", "AiSwitch.Cli", "bin", "Release", "net8.0", OperatingSystem.IsWindows() ? "aiswitch.exe" : "aiswitch");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException($"usage suite: the Release CLI is missing at '{cli}'. Build it: dotnet build src/AiSwitch.Cli -c Release.");
        }

        // 1. A cold summary over a big ledger.
        var records = (int)(1_000_000 * scale);
        var ledgerHome = Path.Combine(root, "ledger");
        UsageFigures.WriteLedger(new AiHome(ledgerHome), records);
        var summary = Cold(cli, ["tokens", "summary", "--all"], Home(ledgerHome), runs: 7, warmup: 1);
        yield return BenchResult.FromSamples(
            $"aiswitch tokens summary --all, {records:N0} records, cold", "ms", summary, Goal.MedianAtMost(1000), Issue, "stopwatch",
            $"whole process, {LedgerMegabytes(ledgerHome):0} MB ledger");

        // 2. Import + summary of Claude Code logs against ccusage daily on the same files.
        var projects = Path.Combine(root, "claude", "projects");
        var logs = AgentLogFixtures.WriteClaudeCode(projects, sessions: 1, turns: 40, targetBytes: (long)(450 * 1048576L * scale));
        var megabytes = Directory.EnumerateFiles(projects, "*.jsonl", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / 1048576.0;
        var ccusage = Path.Combine(repository, "bench", "node_modules", ".bin", OperatingSystem.IsWindows() ? "ccusage.cmd" : "ccusage");
        if (!File.Exists(ccusage))
        {
            throw new InvalidOperationException($"usage suite: ccusage is missing at '{ccusage}'. Install it: npm ci --prefix bench.");
        }

        var emptyHome = Directory.CreateDirectory(Path.Combine(root, "empty-home")).FullName;
        var ccusageEnvironment = new Dictionary<string, string>
        {
            ["HOME"] = emptyHome, ["USERPROFILE"] = emptyHome, ["XDG_CONFIG_HOME"] = emptyHome, ["XDG_DATA_HOME"] = emptyHome, ["XDG_CACHE_HOME"] = emptyHome,
            ["CLAUDE_CONFIG_DIR"] = Path.GetDirectoryName(projects)!, ["NO_COLOR"] = "1",
        };
        var ours = new List<double>();
        var theirs = new List<double>();
        var again = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            theirs.Add(Once(ccusage, ["daily", "--offline", "--json"], ccusageEnvironment));
            var home = Home(Path.Combine(root, "import-" + round.ToString(CultureInfo.InvariantCulture)));
            ours.Add(Once(cli, ["tokens", "import", "claude", projects], home) + Once(cli, ["tokens", "summary", "--all", "--group-by", "day"], home));
            again.Add(Once(cli, ["tokens", "import", "claude", projects], home));
        }

        var ratio = Statistics.Of(theirs).Median / Statistics.Of(ours).Median;
        var what = string.Create(CultureInfo.InvariantCulture, $"{logs.Calls:N0} Claude Code calls, {megabytes:0} MB");
        yield return BenchResult.FromSamples($"aiswitch tokens import + summary, {what}", "ms", ours, issue: Issue, tool: "stopwatch",
            note: "two whole processes into a fresh home: tokens import claude PATH, then tokens summary --all --group-by day");
        yield return BenchResult.FromSamples($"ccusage daily 20.0.24, {what}", "ms", theirs, issue: Issue, tool: "stopwatch",
            note: "ccusage daily --offline --json, same files, alternating with the line above");
        yield return BenchResult.FromSamples("ccusage daily / aiswitch import + summary", "x", [ratio], Goal.MedianAtLeast(2), Issue, "stopwatch",
            "ratio of the two medians above");
        yield return BenchResult.FromSamples($"aiswitch tokens import again (adds nothing), {what}", "ms", again, Goal.MedianAtMost(1000), Issue, "stopwatch");
    }

    private static Dictionary<string, string> Home(string path) => new() { ["AISWITCH_HOME"] = path };

    private static double LedgerMegabytes(string home)
        => Directory.EnumerateFiles(Path.Combine(home, "state", "tokens")).Sum(f => new FileInfo(f).Length) / 1048576.0;

    private static IReadOnlyList<double> Cold(string exe, string[] arguments, Dictionary<string, string> environment, int runs, int warmup)
        => Measure.Milliseconds(() => Once(exe, arguments, environment), runs, warmup);

    private static double Once(string exe, string[] arguments, Dictionary<string, string> environment) => ColdStart.RunOnce(exe, arguments, environment);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, ".ci")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("usage suite: run it from the repository (bench/run does).");
    }
}
