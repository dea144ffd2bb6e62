using System.Diagnostics;
using AiSwitch.Core.Tasks;
using Xunit.Abstractions;

namespace AiSwitch.Core.Tests.Tasks;

/// <summary>
/// The engine's own cost in a fan-out: N agents that each take 500 ms (time is the subject here, so the fakes really
/// wait). The physical floor is 500 ms; the seed asks for parallel efficiency above 80%.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class TaskFanOutTests(ITestOutputHelper output)
{
    private const int LatencyMs = 500;

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(50)]
    [InlineData(100)]
    public async Task A_fan_out_over_N_agents_takes_little_more_than_one_agents_latency(int agents)
    {
        var definitions = Enumerable.Range(1, agents).Select(i => TaskEngineFixture.Agent($"agent{i}")).ToArray();
        using var engine = new TaskEngineFixture(definitions);
        foreach (var definition in definitions)
        {
            engine.Adapter.On(definition.Name, FakeBehaviours.Answer("ok", delayMs: LatencyMs));
        }

        var request = new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = [.. definitions.Select(d => d.Name)] };
        await engine.RunAsync(request with { Timeout = TimeSpan.FromMilliseconds(1) }); // warm-up: JIT and the home's first files, not the engine's steady cost
        // The best of three runs: the machine is shared, and a measurement should not fail on someone else's build.
        var best = double.MaxValue;
        for (var run = 0; run < 3 && LatencyMs / best <= 0.8; run++)
        {
            engine.Adapter.ResetPeak();
            var watch = Stopwatch.StartNew();
            var results = await engine.RunAsync(request);
            watch.Stop();
            best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
            output.WriteLine($"N={agents}: wall {watch.Elapsed.TotalMilliseconds:0} ms for {LatencyMs} ms agents, efficiency {LatencyMs / watch.Elapsed.TotalMilliseconds:P0}, peak {engine.Adapter.PeakConcurrency}");
            Assert.Equal(agents, results.Count(r => r.Success));
            Assert.Equal(agents, engine.Adapter.PeakConcurrency);
        }

        Assert.True(LatencyMs / best > 0.8, $"best wall {best:0} ms: efficiency {LatencyMs / best:P0} is not above 80%");
    }
}

/// <summary>Tests that measure wall time run alone, after the others, so other tests do not take their cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Task timing";
}
