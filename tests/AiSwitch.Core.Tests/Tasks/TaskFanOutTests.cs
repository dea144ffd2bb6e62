using System.Diagnostics;
using AiSwitch.Core.Tasks;
using Xunit.Abstractions;

namespace AiSwitch.Core.Tests.Tasks;

/// <summary>
/// A fan-out over N agents that each take 500 ms runs them all at once (the fakes really wait, so a serialising engine
/// would show as a peak below N). The seed's efficiency figure (above 80%) is measured by bench/ (FanoutSuite), not
/// asserted here: a wall-clock ratio fails on a loaded machine for reasons that are not the engine's.
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
    public async Task A_fan_out_over_N_agents_has_all_N_in_flight_together(int agents)
    {
        var definitions = Enumerable.Range(1, agents).Select(i => TaskEngineFixture.Agent($"agent{i}")).ToArray();
        using var engine = new TaskEngineFixture(definitions);
        foreach (var definition in definitions)
        {
            engine.Adapter.On(definition.Name, FakeBehaviours.Answer("ok", delayMs: LatencyMs));
        }

        var request = new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = [.. definitions.Select(d => d.Name)] };
        await engine.RunAsync(request with { Timeout = TimeSpan.FromMilliseconds(1) }); // warm-up: JIT and the home's first files, not the engine's steady cost
        engine.Adapter.ResetPeak();
        var watch = Stopwatch.StartNew();
        var results = await engine.RunAsync(request);
        watch.Stop();
        output.WriteLine($"N={agents}: wall {watch.Elapsed.TotalMilliseconds:0} ms for {LatencyMs} ms agents, efficiency {LatencyMs / watch.Elapsed.TotalMilliseconds:P0}, peak {engine.Adapter.PeakConcurrency}");

        Assert.Equal(agents, results.Count(r => r.Success));
        Assert.Equal(agents, engine.Adapter.PeakConcurrency);
    }
}

/// <summary>Tests that measure wall time run alone, after the others, so other tests do not take their cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Task timing";
}
