using System.Collections.Concurrent;
using System.Diagnostics;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Tasks;
using AiSwitch.Core.Tests.Support;

namespace AiSwitch.Core.Tests.Tasks;

public sealed class DirectoryCoordinationTests
{
    [Theory]
    [InlineData(TaskCoordinationMode.Strict, false)]
    [InlineData(TaskCoordinationMode.Loose, true)]
    public async Task Strict_mode_never_lets_two_agents_work_in_one_folder_at_once(TaskCoordinationMode mode, bool overlapExpected)
    {
        using var engine = new TaskEngineFixture();
        using var folder = new TempHome();
        Directory.CreateDirectory(folder.Root);
        var spans = new ConcurrentBag<(string Agent, DateTime Enter, DateTime Exit)>();
        FakeBehaviour edit = async (invocation, ct) =>
        {
            var enter = DateTime.UtcNow;
            File.AppendAllText(Path.Combine(invocation.WorkingDirectory, "log.txt"), invocation.Agent.Name + "\n");
            await Task.Delay(150, ct);
            spans.Add((invocation.Agent.Name, enter, DateTime.UtcNow));
            return new AgentRunResult { Success = true, Text = "edited" };
        };
        engine.Adapter.On("a", edit);
        engine.Adapter.On("b", edit);

        var results = await engine.RunAsync(new InvokeTaskRequest
        {
            Tasks = [new TaskSpec { Prompt = "edit" }], Agents = ["a", "b"], CoordinationMode = mode, WorkingDirectory = folder.Root,
        });

        Assert.All(results, r => Assert.True(r.Success));
        var ordered = spans.OrderBy(s => s.Enter).ToList();
        Assert.Equal(overlapExpected, ordered[1].Enter < ordered[0].Exit);
    }

    [Fact]
    public void The_directory_lock_name_is_stable_and_a_valid_lock_name()
    {
        var name = DirectoryCoordination.LockNameFor("/tmp/project/");

        Assert.Equal(name, DirectoryCoordination.LockNameFor("/tmp/project"));
        Assert.NotEqual(name, DirectoryCoordination.LockNameFor("/tmp/other"));
        Assert.Matches("^dir-[0-9a-f]{16}$", name);
        Assert.True(Core.Locking.LockName.IsValid(name));
    }

    [Fact]
    public async Task Isolated_mode_in_a_git_repository_returns_each_agents_diff_and_leaves_the_original_alone()
    {
        using var engine = new TaskEngineFixture();
        using var repo = new TempHome();
        Directory.CreateDirectory(repo.Root);
        File.WriteAllText(Path.Combine(repo.Root, "README.md"), "original\n");
        Git(repo.Root, "init", "-q");
        Git(repo.Root, "add", "-A");
        Git(repo.Root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "base");
        UseEditingAgents(engine);

        var results = await engine.RunAsync(new InvokeTaskRequest
        {
            Tasks = [new TaskSpec { Prompt = "edit" }], Agents = ["a", "b"], CoordinationMode = TaskCoordinationMode.Isolated, WorkingDirectory = repo.Root,
        });

        AssertIsolated(results, repo.Root);
        Assert.Equal(string.Empty, Git(repo.Root, "status", "--porcelain"));
        Assert.DoesNotContain("tasks", Git(repo.Root, "worktree", "list"));
    }

    [Fact]
    public async Task Isolated_mode_outside_a_repository_works_on_copies()
    {
        using var engine = new TaskEngineFixture();
        using var plain = new TempHome();
        Directory.CreateDirectory(plain.Root);
        File.WriteAllText(Path.Combine(plain.Root, "README.md"), "original\n");
        UseEditingAgents(engine);

        var results = await engine.RunAsync(new InvokeTaskRequest
        {
            Tasks = [new TaskSpec { Prompt = "edit" }], Agents = ["a", "b"], CoordinationMode = TaskCoordinationMode.Isolated, WorkingDirectory = plain.Root,
        });

        AssertIsolated(results, plain.Root);
        Assert.False(Directory.Exists(Path.Combine(plain.Root, ".git")));
        Assert.Empty(Directory.GetDirectories(Path.Combine(engine.Home.TmpDir, "tasks")));
    }

    [Fact]
    public async Task Isolated_mode_reports_a_failed_attempts_changes_but_not_a_timed_out_ones()
    {
        using var engine = new TaskEngineFixture();
        using var plain = new TempHome();
        Directory.CreateDirectory(plain.Root);
        File.WriteAllText(Path.Combine(plain.Root, "README.md"), "original\n");
        engine.Adapter.On("a", (invocation, _) =>
        {
            File.WriteAllText(Path.Combine(invocation.WorkingDirectory, "README.md"), "half done\n");
            return Task.FromResult(new AgentRunResult { Success = false, Error = "gave up" });
        });
        engine.Adapter.On("b", async (invocation, ct) =>
        {
            File.WriteAllText(Path.Combine(invocation.WorkingDirectory, "b.txt"), "new\n");
            await Task.Delay(Timeout.Infinite, ct);
            return new AgentRunResult { Success = true };
        });

        var results = (await engine.RunAsync(new InvokeTaskRequest
        {
            Tasks = [new TaskSpec { Prompt = "edit" }], Agents = ["a", "b"], CoordinationMode = TaskCoordinationMode.Isolated, WorkingDirectory = plain.Root,
            Timeout = TimeSpan.FromMilliseconds(300),
        })).ToDictionary(r => r.Agent);

        Assert.Equal((TaskState.Failed, "README.md"), (results["a"].Status, results["a"].ChangedFiles));
        Assert.Contains("+half done", results["a"].Diff);
        Assert.Equal((TaskState.Timeout, null, null), (results["b"].Status, results["b"].ChangedFiles, results["b"].Diff));
    }

    private static void UseEditingAgents(TaskEngineFixture engine)
    {
        FakeBehaviour edit = (invocation, _) =>
        {
            File.WriteAllText(Path.Combine(invocation.WorkingDirectory, "README.md"), $"changed by {invocation.Agent.Name}\n");
            File.WriteAllText(Path.Combine(invocation.WorkingDirectory, $"{invocation.Agent.Name}.txt"), "new\n");
            return Task.FromResult(new AgentRunResult { Success = true, Text = "done" });
        };
        engine.Adapter.On("a", edit);
        engine.Adapter.On("b", edit);
    }

    private static void AssertIsolated(IReadOnlyList<TaskResult> results, string original)
    {
        Assert.Equal("original\n", File.ReadAllText(Path.Combine(original, "README.md")));
        Assert.False(File.Exists(Path.Combine(original, "a.txt")));
        foreach (var result in results)
        {
            Assert.True(result.Success, result.Error);
            Assert.Equal(["README.md", $"{result.Agent}.txt"], result.ChangedFiles!.Split(Environment.NewLine).Order(StringComparer.Ordinal));
            Assert.Contains($"+changed by {result.Agent}", result.Diff);
            Assert.Contains("-original", result.Diff);
            Assert.Equal(original, result.WorkingDirectory);
        }
    }

    private static string Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
        return output;
    }
}
