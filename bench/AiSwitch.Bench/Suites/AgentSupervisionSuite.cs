using System.Diagnostics;
using AiSwitch.Bench.Harness;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Core.Environments;
using AiSwitch.Core.Home;
using AiSwitch.Core.Hosting;
using AiSwitch.Protocol;
using AiSwitch.Core.Tests.Agents;

namespace AiSwitch.Bench.Suites;

/// <summary>
/// Issue 4: the coordinator's memory with 10 running agents over its own baseline (goal ≤ 40 MB; seed &lt; 100 MB).
/// Ten long-lived agents (a line-echo shell script under the registry's supervision: own process group, pid file,
/// stderr log, health probes) each answer one task; the figure is the growth of this process's resident memory
/// from the idle registry to ten running agents, the agents' own memory not counted. Each run starts and stops
/// all ten; the first run includes the JIT compiling the registry's code paths. Alone: <c>AiSwitch.Bench suites --filter supervision</c>.
/// </summary>
public sealed class AgentSupervisionSuite : IBenchSuite
{
    private const int Agents = 10;

    public string Name => "agent supervision";

    public IEnumerable<BenchResult> Run(double scale)
    {
        if (OperatingSystem.IsWindows())
        {
            yield break; // the test agents are shell scripts
        }

        var root = Path.Combine(Path.GetTempPath(), "aiswitch-bench-agents-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (resident, managed) = Measure(root, Math.Max(3, (int)(8 * scale)));
            yield return BenchResult.FromSamples($"coordinator memory, {Agents} running agents over baseline", "MB", resident, Goal.MedianAtMost(40), issue: 4,
                tool: "in-process, resident set", note: $"managed heap growth median {Median(managed):0.00} MB; agents are shell scripts, their memory not counted");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static (List<double> Resident, List<double> Managed) Measure(AiHome home, int runs)
    {
        var parent = new InMemoryEnvironment(new Dictionary<string, string> { ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin" });
        using var session = new AiSession(home, parent);
        var adapter = new FakeLongLivedAdapter();
        var registry = session.GetService(s => new AgentRegistry(s, new AgentRegistryOptions { Adapters = new AdapterCatalog(adapter) }));
        var names = Enumerable.Range(1, Agents).Select(i => $"bench-{i}").ToList();
        registry.DefinitionStore.Load(); // the file exists before the baseline
        var resident = new List<double>();
        var managed = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var (rssBefore, heapBefore) = Snapshot();
            Parallel.ForEach(names, name => registry.StartAsync(new StartAgentRequest { Name = name }).GetAwaiter().GetResult());
            Parallel.ForEach(names, name => registry.RunAsync(new AgentRunRequest { Agent = name, Task = new AgentTask { Id = name, Prompt = "ping" } }).GetAwaiter().GetResult());
            if (registry.Get(runningOnly: true).Count != Agents)
            {
                throw new InvalidOperationException($"Expected {Agents} running agents.");
            }

            var (rssAfter, heapAfter) = Snapshot();
            resident.Add((rssAfter - rssBefore) / 1048576.0);
            managed.Add((heapAfter - heapBefore) / 1048576.0);
            Parallel.ForEach(names, name => registry.StopAsync(new StopAgentRequest { Name = name, Force = true }).GetAwaiter().GetResult());
        }

        return (resident, managed);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static (List<double> Resident, List<double> Managed) Measure(string root, int runs)
    {
        var home = new AiHome(root);
        var script = Path.Combine(root, "echo-agent.sh");
        Directory.CreateDirectory(root);
        File.WriteAllText(script, "#!/bin/sh\necho ready\nexec cat\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var yaml = "agents:\n" + string.Concat(Enumerable.Range(1, Agents).Select(i => $"  - name: bench-{i}\n    adapter: fake-daemon\n    command: {script}\n"));
        Directory.CreateDirectory(home.ConfigDir);
        File.WriteAllText(Path.Combine(home.ConfigDir, AgentDefinitionStore.FileName), yaml);
        return Measure(home, runs);
    }

    private static (long Resident, long Managed) Snapshot()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        return (self.WorkingSet64, GC.GetTotalMemory(forceFullCollection: true));
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
