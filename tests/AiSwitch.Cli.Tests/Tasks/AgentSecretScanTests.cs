using System.Text;
using AiSwitch.Cli.Tests.Environments;
using Xunit;

namespace AiSwitch.Cli.Tests.Tasks;

/// <summary>
/// The secret scenario with an agent in it: secrets inline in a preset, by <c>env:</c>, by <c>file:</c> and by
/// <c>--var</c> (one under an innocent name, so only its source makes it secret), given to an agent that prints its whole
/// environment on stdout and stderr and fails. Every output format of every verb that shows the run and every file
/// under the home (the agent's log, the task files, the ledger, records, snapshots) must hold none of the values,
/// except the two the user stored on purpose, each in its one documented file. The agent really received them: the test checks
/// that its environment dump reached the output, with the values masked.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentSecretScanTests : IDisposable
{
    private const string InlineSecret = "sk-inline-Zq81LmVx40RtPw2s";
    private const string EnvSecret = "env-secret-Hy5Kd02JsQm7Ln";
    private const string FileSecret = "file-secret-Tb6Nw19XcEr3Gv";
    private const string VarSecret = "var-secret-Pm4Qs82ZaWk0Dj";
    private const string InnocentEnvSecret = "innocent-env-Ux3Rb71MfOa9";
    private static readonly string[] Secrets = [InlineSecret, EnvSecret, FileSecret, VarSecret, InnocentEnvSecret];

    private readonly string _root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "aiswitch-agent-secrets", Guid.NewGuid().ToString("N"))).FullName;
    private readonly StringBuilder _seen = new();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_failing_agent_that_prints_its_environment_leaks_no_injected_secret_anywhere()
    {
        var home = Path.Combine(_root, "home");
        var agent = FakeAgents.EchoEnvironmentAndFail(_root);
        var keyFile = Path.Combine(_root, "gemini.key");
        File.WriteAllText(keyFile, FileSecret + "\n");
        var cli = new CliProcess(home, new Dictionary<string, string>
        {
            ["SOURCE_SECRET"] = EnvSecret,
            ["SOURCE_HINT"] = InnocentEnvSecret,
            ["AISWITCH_CLI"] = CliBuild.AppHost,
        }, appHost: true);

        Must(cli, "agents", "register", "echo", "--adapter", "claude-code", "--command", agent);
        Must(cli, "preset", "add", "mixed", "OPENAI_BASE_URL=https://api.example/v1", "OPENAI_API_KEY=" + InlineSecret,
            "ANTHROPIC_AUTH_TOKEN=env:SOURCE_SECRET", "GEMINI_API_KEY=file:" + keyFile, "MODEL_HINT=env:SOURCE_HINT");
        Must(cli, "env", "switch", "echo", "mixed", "--var", "EXTRA_SETTING=" + VarSecret);

        var formats = new[] { "table", "json", "csv" };
        foreach (var format in formats)
        {
            See(cli, "run", "--agents", "echo", "--task", "print your environment", "--output-format", format);
        }

        Must(cli, "task", "start", "--agents", "echo", "--task", "print your environment", "--batch-id", "bg-secrets");
        See(cli, "task", "wait", "bg-secrets", "--timeout", "120");
        foreach (var format in formats)
        {
            See(cli, "task", "result", "bg-secrets", "--output-format", format);
            See(cli, "task", "status", "bg-secrets", "--output-format", format);
            See(cli, "agents", "status", "echo", "--output-format", format);
            See(cli, "tokens", "summary", "--all", "--output-format", format);
        }

        // Every file under the home. Two values live where the user put them, and only there: the inline key in its
        // preset's file (and, as the preset has it, in the agent's record), and the literal --var in the agent's record
        // (its only copy; docs/environments.md). What env: and file: resolve to is written nowhere.
        string[] record = [Path.Combine("state", "environments", "echo.json"), Path.Combine("state", "environments", "echo.json.bak")];
        var kept = new Dictionary<string, string[]>
        {
            [InlineSecret] = [Path.Combine("config", "presets", "mixed.yaml"), .. record],
            [VarSecret] = record,
        };
        var files = Directory.EnumerateFiles(home, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("bg-secrets.results.json", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(home, file);
            var text = File.ReadAllText(file);
            foreach (var (secret, places) in kept)
            {
                if (places.Contains(relative))
                {
                    text = text.Replace(secret, "(kept here by design)", StringComparison.Ordinal);
                }
            }

            See(relative, text);
        }

        var seen = _seen.ToString();
        // The agent ran with the preset and printed its environment, masked, into the results and into its log.
        Assert.Contains("OPENAI_BASE_URL=https://api.example/v1", seen);
        Assert.Contains("EXTRA_SETTING=****", seen);
        Assert.Contains("--- logs/agents/echo.log", seen);
        foreach (var secret in Secrets)
        {
            if (seen.IndexOf(secret, StringComparison.Ordinal) is var at and >= 0)
            {
                Assert.Fail($"secret value found: {Around(seen, at)}");
            }
        }
    }

    private void Must(CliProcess cli, params string[] command)
    {
        var result = cli.RunIn(_root, command);
        Assert.True(result.ExitCode == 0, $"aiswitch {command[0]} {command[1]} exited {result.ExitCode}: {result.Stderr}");
    }

    private void See(CliProcess cli, params string[] command)
    {
        var result = cli.RunIn(_root, command);
        See("aiswitch " + string.Join(' ', command), $"exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
    }

    private void See(string what, string text) => _seen.Append("--- ").Append(what).Append('\n').Append(text).Append('\n');

    private static string Around(string text, int at)
    {
        var header = text.LastIndexOf("--- ", at, StringComparison.Ordinal);
        return text[Math.Max(0, header)..Math.Min(text.Length, at + 60)];
    }
}
