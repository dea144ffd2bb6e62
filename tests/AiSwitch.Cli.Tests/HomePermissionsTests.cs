using AiSwitch.Cli.Tests.Environments;
using AiSwitch.Core.Home;
using Xunit;

namespace AiSwitch.Cli.Tests;

/// <summary>
/// Everything AiSwitch writes under its home is the user's alone: after a representative day (a preset added, an agent
/// switched, the session applied, a failing run, a background task, an import, a lock run, a snapshot) every folder is
/// 0700 and every file 0600, whichever code path created it.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HomePermissionsTests : IDisposable
{
    private readonly string _root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "aiswitch-perms", Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Every_file_under_the_home_is_0600_and_every_folder_0700_after_a_representative_run()
    {
        var home = Path.Combine(_root, "home");
        var agent = FakeAgents.EchoEnvironmentAndFail(_root);
        var imports = Directory.CreateDirectory(Path.Combine(_root, "imports")).FullName;
        File.WriteAllText(Path.Combine(imports, "imported.yaml"), "name: imported\nvariables:\n  OPENAI_BASE_URL: https://imported.example\n");
        var cli = new CliProcess(home, new Dictionary<string, string> { ["SOURCE_KEY"] = "perm-source-key-1234567", ["AISWITCH_CLI"] = CliBuild.AppHost }, appHost: true);

        string[][] day =
        [
            ["agents", "register", "echo", "--adapter", "claude-code", "--command", agent],
            ["preset", "add", "work", "OPENAI_API_KEY=env:SOURCE_KEY", "OPENAI_BASE_URL=https://api.example/v1"],
            ["env", "switch", "echo", "work", "--var", "EXTRA_TOKEN=inline-extra-token-98765"],
            ["apply", "work", "--shell", "bash"],
            ["run", "--agents", "echo", "--task", "hello", "--output-format", "json"],
            ["task", "start", "--agents", "echo", "--task", "hello", "--batch-id", "bg-perms"],
            ["task", "wait", "bg-perms", "--timeout", "120"],
            ["preset", "import", "--path", imports],
            ["lock", "run", "build", "--", "true"],
            ["env", "snapshot", "echo", "perm-snap"],
        ];
        foreach (var command in day)
        {
            var result = cli.RunIn(_root, command);
            // The agent fails on purpose, so 'run' exits with its error's code; everything else succeeds.
            var expected = command[0] == "run" ? ErrorId.AgentProtocolViolation.Kind().ExitCode() : 0;
            Assert.True(result.ExitCode == expected, $"aiswitch {string.Join(' ', command)} exited {result.ExitCode}: {result.Stderr}");
        }

        // The run really happened and left what this test is about.
        Assert.True(File.Exists(Path.Combine(home, "state", "tasks", "bg-perms.results.json")), "the background task left no results file");
        Assert.True(Directory.EnumerateFiles(Path.Combine(home, "logs"), "*", SearchOption.AllDirectories).Any(), "no log was written");

        var wrong = new List<string>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(home, "*", SearchOption.AllDirectories).Prepend(home))
        {
            var isFolder = Directory.Exists(entry);
            var expected = isFolder ? PrivateDirectory.FolderMode : PrivateDirectory.FileMode;
            var actual = File.GetUnixFileMode(entry);
            if (actual != expected)
            {
                wrong.Add($"{Path.GetRelativePath(home, entry)}{(isFolder ? "/" : "")}: {Octal(actual)} (expected {Octal(expected)})");
            }
        }

        Assert.True(wrong.Count == 0, "Entries of the home open to others:\n" + string.Join('\n', wrong));
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}

/// <summary>Agents made of a shell script, for tests that need an agent to misbehave in a precise way.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class FakeAgents
{
    /// <summary>
    /// An agent that prints its whole environment on stdout and stderr (the way a crashing tool dumps its state) and
    /// exits 1: everything AiSwitch put into its environment comes back as agent text.
    /// </summary>
    public static string EchoEnvironmentAndFail(string folder)
    {
        var path = Path.Combine(folder, "echo-env-agent.sh");
        File.WriteAllText(path, "#!/bin/sh\necho \"agent crashed; its environment was:\"\nenv\nenv >&2\nexit 1\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
