using System.Text.Json;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Environments;
using AiSwitch.Core.Home;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Tasks;
using AiSwitch.Core.Tests.Agents;
using TestHost = AiSwitch.Core.Tests.Locking.TestHost;
using AiSwitch.Core.Tests.Support;

namespace AiSwitch.Core.Tests.Home;

/// <summary>logs/coordinator.jsonl: one JSON object per coordinator event, never a secret, whole lines from many processes.</summary>
public sealed class CoordinatorLogTests
{
    private static List<JsonElement> ReadEvents(string path) =>
        [.. File.ReadAllLines(path).Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    private static string Field(JsonElement e, string name) => e.TryGetProperty(name, out var value) ? value.ToString() : string.Empty;

    [Fact]
    public async Task A_task_run_on_an_agent_with_a_secret_preset_is_logged_event_by_event_without_the_secret()
    {
        const string Secret = "sk-live-COORDLOG-7f3a9c2e51";
        await using var world = new AgentWorld();
        world.Preset("keyed", ("OPENAI_API_KEY", Secret), ("OPENAI_MODEL", "gpt-4"));
        world.WriteAgentsYaml("agents:\n  - name: env\n    adapter: fake-task\n    command: env\n");
        var session = world.NewSession();
        var registry = session.GetService(s => new AgentRegistry(s, world.Options()));

        new EnvironmentOperations(session).Switch("env", "keyed");
        await registry.StartAsync(new StartAgentRequest { Name = "env" });
        var results = new List<TaskResult>();
        await foreach (var result in TaskOperations.For(session).InvokeAsync(
            new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "print it", TaskId = "t-log" }], Agents = ["env"] }, SilentOperationContext.Instance))
        {
            results.Add(result);
        }

        await registry.StopAsync(new StopAgentRequest { Name = "env" });

        // The agent really had the key: it printed its environment, and the engine redacts it only from what it shows.
        var ran = Assert.Single(results);
        Assert.Equal(TaskState.Completed, ran.Status);
        var path = CoordinatorLog.PathIn(world.Home);
        var text = File.ReadAllText(path);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("COORDLOG", text, StringComparison.Ordinal);

        var events = ReadEvents(path);
        var names = events.Select(e => Field(e, "event")).ToList();
        Assert.Equal(["env.switch", "task.start", "task.end", "agent.stop"], names.Where(n => n is "env.switch" or "task.start" or "task.end" or "agent.stop"));
        var switched = events.Single(e => Field(e, "event") == "env.switch");
        Assert.Equal(("env", "keyed", "2"), (Field(switched, "target"), Field(switched, "preset"), Field(switched, "variables_set")));
        var ended = events.Single(e => Field(e, "event") == "task.end");
        Assert.Equal(("t-log", "t-log", "env", "completed"), (Field(ended, "task_id"), Field(ended, "batch_id"), Field(ended, "agent"), Field(ended, "status")));
        Assert.All(events, e =>
        {
            Assert.Equal(session.Id.ToString("N"), Field(e, "session"));
            Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), Field(e, "pid"));
            Assert.True(DateTimeOffset.TryParse(Field(e, "@t"), System.Globalization.CultureInfo.InvariantCulture, out _), Field(e, "@t"));
        });
    }

    [Fact]
    public void The_log_rolls_at_its_size_limit_and_keeps_only_the_newest_files()
    {
        using var temp = new TempHome();
        using (var log = new CoordinatorLog(temp.Home, "roller", TimeProvider.System, maxBytes: 4096, keep: 3))
        {
            for (var i = 0; i < 300; i++)
            {
                log.Write("test.line", ("seq", i));
            }
        }

        var files = Directory.GetFiles(temp.Home.LogsDir, "coordinator*.jsonl").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, files.Count);
        // The shared sink checks the size before it writes, so a file may pass the limit by its last event (about 140 bytes).
        Assert.All(files, file => Assert.True(new FileInfo(file).Length <= 4096 + 200, $"{file} is {new FileInfo(file).Length} bytes"));
        var kept = files.SelectMany(ReadEvents).Select(e => int.Parse(Field(e, "seq"), System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(299, kept[^1]);
        Assert.Equal(Enumerable.Range(kept[0], kept.Count), kept); // the oldest went, whole files at a time, with no gap
        Assert.True(kept[0] > 0, "nothing was rolled away");
    }

    [Fact]
    public async Task Two_processes_appending_at_once_leave_every_line_whole()
    {
        using var temp = new TempHome();
        // Both start on one signal and each writes for a good while, so their appends overlap.
        const int Each = 10000;
        var writers = new[] { "left", "right" }.Select(name => (Name: name, Process: TestHost.Start("coordinator-log", temp.Root, name, Each.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList();
        try
        {
            foreach (var (_, process) in writers)
            {
                Assert.Equal("ready", await process.StandardOutput.ReadLineAsync().WaitAsync(TestHost.Patience));
            }

            foreach (var (_, process) in writers)
            {
                await process.StandardInput.WriteLineAsync("go");
                await process.StandardInput.FlushAsync();
            }

            foreach (var (name, process) in writers)
            {
                await process.WaitForExitAsync().WaitAsync(TestHost.Patience);
                Assert.True(process.ExitCode == 0, $"{name}: {await process.StandardError.ReadToEndAsync()}");
            }
        }
        finally
        {
            foreach (var (_, process) in writers)
            {
                process.Dispose();
            }
        }

        var events = ReadEvents(CoordinatorLog.PathIn(temp.Home)); // a torn line fails to parse here
        Assert.Equal(2 * Each, events.Count);
        foreach (var name in new[] { "left", "right" })
        {
            var sequence = events.Where(e => Field(e, "writer") == name).Select(e => int.Parse(Field(e, "seq"), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(Enumerable.Range(0, Each), sequence);
        }
    }

    [Fact]
    public void Every_log_file_is_the_users_alone_including_one_a_roll_created()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows has no mode bits; the home's ACLs are the folder's.
        }

        using var temp = new TempHome();
        using (var log = new CoordinatorLog(temp.Home, "first", TimeProvider.System, maxBytes: 4096, keep: 5))
        {
            for (var i = 0; i < 60; i++)
            {
                log.Write("test.line", ("seq", i));
            }
        }

        using (new CoordinatorLog(temp.Home, "next", TimeProvider.System, maxBytes: 4096, keep: 5))
        {
            var files = Directory.GetFiles(temp.Home.LogsDir, "coordinator*.jsonl");
            Assert.True(files.Length > 1, "no roll happened");
            foreach (var file in files)
            {
                Assert.Equal((file, UnixFileMode.UserRead | UnixFileMode.UserWrite), (file, File.GetUnixFileMode(file)));
            }
        }
    }
}
