using System.Text;
using AiSwitch.Core.Environments;
using AiSwitch.Core.Home;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Presets;
using Xunit;

namespace AiSwitch.Cli.Tests.Environments;

/// <summary>
/// The acceptance scan: every preset and environment operation, in Core and through the CLI, with an inline secret
/// and two referenced ones (env: and file:). Everything a user or a script can see — stdout, stderr, error messages
/// and their inner exceptions, every file under logs/, every output object rendered as table, JSON and CSV — must
/// hold none of the secret values. The eval output of <c>apply --shell</c> is the one place meant to carry them, and
/// the test asserts it does, so it cannot pass by never applying anything.
/// </summary>
public sealed class SecretScanTests : IDisposable
{
    private const string InlineSecret = "sk-inline-7Q2mX9vL4pR8wZ1cJ6";
    private const string EnvSecret = "env-ref-secret-K3j8Hq2Lm5NxT0";
    private const string FileSecret = "file-ref-secret-P9t4Wc7Ys1BdE4";
    private static readonly string[] Secrets = [InlineSecret, EnvSecret, FileSecret];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "aiswitch-secretscan", Guid.NewGuid().ToString("N"));
    private readonly string _home;
    private readonly string _secretFile;
    private readonly StringBuilder _seen = new();
    private readonly StringBuilder _evalOutput = new();

    public SecretScanTests()
    {
        _home = Path.Combine(_root, "home");
        Directory.CreateDirectory(_root);
        _secretFile = Path.Combine(_root, "gemini.key");
        File.WriteAllText(_secretFile, FileSecret + "\n");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task No_secret_value_appears_in_any_output_error_log_or_view()
    {
        await ScanCore();
        ScanCli();
        foreach (var log in Directory.EnumerateFiles(Path.Combine(_home, "logs"), "*", SearchOption.AllDirectories))
        {
            See($"log {log}", File.ReadAllText(log));
        }

        var seen = _seen.ToString();
        Assert.Contains("\"action\":\"switch\"", seen); // the logs were really written and read
        Assert.Contains("sha256:", seen);               // snapshot views were really rendered
        foreach (var secret in Secrets)
        {
            if (seen.Contains(secret, StringComparison.Ordinal))
            {
                Assert.Fail($"secret value found in output: {Around(seen, secret)}");
            }

            Assert.Contains(secret, _evalOutput.ToString());
        }
    }

    private async Task ScanCore()
    {
        var environment = new InMemoryEnvironment([new("SOURCE_SECRET", EnvSecret), new("PATH", Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")]);
        using var session = new AiSession(new AiHome(_home).EnsureCreated(), environment);
        var presets = new PresetStore(session.Home);
        var operations = new EnvironmentOperations(session);

        Show(Try(() => presets.Create(new NewPresetRequest
        {
            Name = "mixed",
            Description = "inline and referenced secrets",
            Variables = new Dictionary<string, string>
            {
                ["OPENAI_BASE_URL"] = "https://api.example/v1",
                ["OPENAI_API_KEY"] = InlineSecret,
                ["ANTHROPIC_AUTH_TOKEN"] = "env:SOURCE_SECRET",
                ["GEMINI_API_KEY"] = "file:" + _secretFile,
                ["MODEL_HINT"] = "env:SOURCE_SECRET", // a reference under an innocent name
            },
        })));
        Show(Try(() => presets.Create(new NewPresetRequest { Name = "plain", Variables = new Dictionary<string, string> { ["OPENAI_BASE_URL"] = "https://other.example" } })));
        Show(Try(() => presets.Create(new NewPresetRequest { Name = "broken", Variables = new Dictionary<string, string> { ["X_TOKEN"] = "env:NOT_SET_ANYWHERE", ["Y"] = InlineSecret } })));
        Show(Try(() => presets.Create(new NewPresetRequest { Name = "mixed", Variables = new Dictionary<string, string> { ["OPENAI_API_KEY"] = InlineSecret } })));
        Show(Try(() => presets.Get("mixed")));
        Show(Try(() => presets.List()));
        Show(Try(() => presets.TryGet("mixed", out var found) ? found : null));
        Show(Try(() => presets.Update(new SetPresetRequest { Name = "mixed", Variables = new Dictionary<string, string> { ["EXTRA_SECRET"] = InlineSecret } })));
        Show(Try(() => presets.Update(new SetPresetRequest { Name = "mixed", RemoveVariables = ["EXTRA_SECRET"] })));
        Show(Try(() => presets.Get("mixd")));

        var importFolder = Directory.CreateDirectory(Path.Combine(_root, "original-presets")).FullName;
        File.WriteAllText(Path.Combine(importFolder, "imported.yaml"), $"name: imported\nvariables:\n  OPENAI_API_KEY: {InlineSecret}\n");
        Show(Try(() => presets.Import(new ImportPresetRequest { Path = importFolder })));

        var switched = (SwitchResult)Show(Try(() => operations.Switch(null, "mixed")))!;
        Assert.Equal(InlineSecret, environment.Get("OPENAI_API_KEY")); // it really was applied
        Show(Try(() => operations.Switch("claude", "mixed", new Dictionary<string, string> { ["CUSTOM_HEADER"] = InlineSecret, ["OTHER"] = "env:SOURCE_SECRET" })));
        Show(Try(() => operations.Switch("claude", "plain")));
        Show(Try(() => operations.Switch("claude", "mixed")));
        Show(Try(() => operations.Switch(null, "broken")));
        Show(Try(() => operations.Apply("plain", _root)));
        Show(Try(() => operations.Apply("mixed", _root)));
        Show(Try(() => operations.Checkpoint(null, "core-session", "with secrets applied")));
        Show(Try(() => operations.Checkpoint("claude", "core-claude")));
        Show(Try(() => operations.ListSnapshots()));
        Show(Try(() => operations.GetSnapshot("claude", "core-claude")));
        Show(Try(() => operations.Current()));
        Show(Try(() => operations.Restore(null, switched.SnapshotId!)));
        Show(Try(() => operations.Restore("claude", "core-claude")));

        var (applied, script) = operations.ApplyForShell("mixed", _root, ShellKind.Bash);
        Show(applied);
        _evalOutput.Append(script);
        var (restored, restoreScript) = operations.RestoreForShell("core-session", ShellKind.Pwsh);
        Show(restored);
        _evalOutput.Append(restoreScript);

        var tampered = Path.Combine(_home, "state", "snapshots", "claude", "core-claude.json");
        File.WriteAllText(tampered, File.ReadAllText(tampered).Replace("https://api.example/v1", "https://evil.example/v1", StringComparison.Ordinal));
        Show(Try(() => operations.Restore("claude", "core-claude")));
        Show(Try(() => operations.Restore("claude", "core-claude", force: true)));
        Show(Try(() => { operations.RemoveSnapshot("claude", "core-claude"); return "removed"; }));
        Show(Try(() => { operations.RemoveSnapshot("claude", "core-claude"); return "removed"; }));
        Show(await TryAsync(() => operations.ExecAsync("mixed", _root, "true", [], CancellationToken.None)));
        Show(await TryAsync(() => operations.ExecAsync("broken", _root, "true", [], CancellationToken.None)));

        // A switch that fails halfway: its error must not carry a value either.
        using var failing = new AiSession(session.Home, new RefusingEnvironment(environment, "GEMINI_API_KEY"));
        Show(Try(() => new EnvironmentOperations(failing).Switch(null, "plain")));
        Show(Try(() => new EnvironmentOperations(failing).Switch(null, "mixed")));

        Show(Try(() => { presets.Remove("imported"); return "removed"; }));
    }

    private void ScanCli()
    {
        var cli = new CliProcess(_home, new Dictionary<string, string> { ["SOURCE_SECRET"] = EnvSecret });
        var formats = new[] { "table", "json", "csv" };
        var importFolder = Directory.CreateDirectory(Path.Combine(_root, "cli-import")).FullName;
        File.WriteAllText(Path.Combine(importFolder, "cli-imported.yaml"), $"name: cli-imported\nvariables:\n  OPENAI_API_KEY: {InlineSecret}\n");
        var commands = new List<string[]>
        {
            new[] { "preset", "add", "cli-mixed", "OPENAI_API_KEY=" + InlineSecret, "ANTHROPIC_AUTH_TOKEN=env:SOURCE_SECRET", "GEMINI_API_KEY=file:" + _secretFile, "NOTE=env:SOURCE_SECRET" },
            new[] { "preset", "add", "cli-mixed", "OPENAI_API_KEY=" + InlineSecret },
            new[] { "preset", "add", "cli-bad", InlineSecret },
            new[] { "preset", "add", "bad/name", "K=" + InlineSecret },
            new[] { "preset", "show", "cli-mixed" },
            new[] { "preset", "set", "cli-mixed", "EXTRA_TOKEN=" + InlineSecret, "--description", "changed" },
            new[] { "preset", "set", "cli-mixed", "--remove", "EXTRA_TOKEN" },
            new[] { "preset", "import", "--path", importFolder },
            new[] { "preset", "remove", "cli-imported" },
            new[] { "env", "switch", "codex", "cli-mixed" },
            new[] { "env", "switch", "codex", "mixed" },
            new[] { "env", "switch", "codex", "mixed", "--var", "EXTRA=file:" + _secretFile, "--var", "MORE_KEY=" + InlineSecret },
            new[] { "env", "switch", "codex", "broken" },
            new[] { "env", "snapshot", "codex", "cli-1", "--description", "scan" },
            new[] { "env", "snapshot", "session", "cli-session" },
            new[] { "env", "rollback", "codex", "cli-1" },
            new[] { "env", "rollback", "session", "cli-session", "--shell", "bash" },
            new[] { "exec", "mixed", "--", "true" },
            new[] { "exec", "broken", "--", "true" },
            new[] { "apply", "broken" },
            new[] { "env", "switch", "session", "mixed" },
        };
        commands.AddRange(formats.Select(f => new[] { "preset", "list", "--output-format", f }));
        commands.AddRange(formats.Select(f => new[] { "preset", "show", "mixed", "--output-format", f }));
        commands.AddRange(formats.Select(f => new[] { "env", "list", "--output-format", f }));
        commands.AddRange(formats.Select(f => new[] { "current", "--output-format", f }));
        commands.AddRange(formats.Select(f => new[] { "env", "switch", "gemini", "mixed", "--output-format", f }));
        commands.AddRange(formats.Select(f => new[] { "env", "snapshot", "gemini", "--output-format", f }));
        foreach (var command in commands)
        {
            var result = cli.Run(command);
            See(Label(command), $"exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        }

        var tampered = Path.Combine(_home, "state", "snapshots", "codex", "cli-1.json");
        File.WriteAllText(tampered, File.ReadAllText(tampered).Replace("https://api.example/v1", "https://evil.example/v1", StringComparison.Ordinal));
        foreach (var command in new[] { new[] { "env", "rollback", "codex", "cli-1" }, ["env", "rollback", "codex", "cli-1", "--force"], ["env", "remove", "codex", "cli-1"] })
        {
            var result = cli.Run(command);
            See(Label(command), $"exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        }

        foreach (var shell in new[] { "bash", "zsh", "fish", "pwsh" })
        {
            var applied = cli.Run("apply", "mixed", "--shell", shell);
            Assert.Equal(0, applied.ExitCode);
            See($"aiswitch apply --shell {shell} (stderr)", applied.Stderr);
            _evalOutput.Append(applied.Stdout); // meant for eval: the real values, by design
        }
    }

    private object? Show(object? item)
    {
        switch (item)
        {
            case null:
                break;
            case string or int:
                See("value", item.ToString()!);
                break;
            case Exception error:
                for (var e = error; e is not null; e = e.InnerException)
                {
                    See("error", $"{e.GetType().Name}: {e.Message} {(e as AiSwitchException)?.Target} {string.Join(",", (e as AiSwitchException)?.Details?.Values ?? [])}");
                }

                break;
            case System.Collections.IEnumerable many and not string:
                foreach (var one in many)
                {
                    Show(one);
                }

                break;
            default:
                See(item.GetType().Name, item.ToString() ?? string.Empty);
                var render = typeof(OutputRenderer).GetMethod(nameof(OutputRenderer.Write))!.MakeGenericMethod(item.GetType());
                foreach (var format in Enum.GetValues<OutputFormat>())
                {
                    using var text = new StringWriter();
                    var list = Array.CreateInstance(item.GetType(), 1);
                    list.SetValue(item, 0);
                    render.Invoke(null, [text, list, format, null]);
                    See($"{item.GetType().Name} as {format}", text.ToString());
                }

                break;
        }

        return item;
    }

    // The command line is the test's input, not AiSwitch's output: it is labelled without the values it passes.
    private static string Label(string[] command) => "aiswitch " + Redaction.RedactText(string.Join(' ', command), Secrets);

    private void See(string what, string text) => _seen.Append("--- ").Append(what).Append('\n').Append(text).Append('\n');

    private static object? Try(Func<object?> action)
    {
        try
        {
            return action();
        }
        catch (AiSwitchException ex)
        {
            return ex;
        }
    }

    private static async Task<object?> TryAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (AiSwitchException ex)
        {
            return ex;
        }
    }

    private static string Around(string text, string secret)
    {
        var at = text.IndexOf(secret, StringComparison.Ordinal);
        var header = text.LastIndexOf("--- ", at, StringComparison.Ordinal);
        return text[Math.Max(0, header)..Math.Min(text.Length, at + secret.Length + 40)];
    }

    /// <summary>An environment block that refuses one variable, as a full or locked-down one would.</summary>
    private sealed class RefusingEnvironment(IProcessEnvironment inner, string refused) : IProcessEnvironment
    {
        public string? Get(string name) => inner.Get(name);

        public void Set(string name, string? value)
        {
            if (name == refused)
            {
                throw new InvalidOperationException($"The environment refused {name}.");
            }

            inner.Set(name, value);
        }

        public IReadOnlyDictionary<string, string> GetAll() => inner.GetAll();
    }
}
