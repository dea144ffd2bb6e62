using System.Text;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Tasks;
using AiSwitch.Core.Tests.Agents;
using AiSwitch.MockProvider;
using Xunit.Abstractions;

namespace AiSwitch.E2E.Tests;

/// <summary>
/// Ctrl+C in the middle of a parallel Invoke (issue 5): claude and codex wait on a stalled provider while a third agent
/// has already answered; cancelling the token keeps the finished result, marks the rest Cancelled (-40104), and every
/// process of every agent's tree is gone within 1 s of the results returning.
/// </summary>
public sealed class TaskCancellationTests(ITestOutputHelper output)
{
    private const string Stalled = "/cancel-stalled";
    private const string Answering = "/cancel-answering";

    [Fact]
    public async Task Cancelling_a_parallel_run_keeps_finished_results_cancels_the_rest_and_leaves_no_process()
    {
        await using var harness = await AdapterHarness.StartAsync();
        harness.AddPreset("stalled", Stalled, "1111");
        harness.AddPreset("answering", Answering, "2222");
        harness.Mock.SetDefault(MockReply.Stall(), Stalled);
        harness.Mock.SetDefault(new MockReply { Text = "done before the cancel" }, Answering);
        harness.AddAgent("claude", AdapterNames.ClaudeCode, "claude", "stalled");
        harness.AddAgent("codex", AdapterNames.Codex, "codex", "stalled", "gpt-5.1-codex");
        harness.AddAgent("codex-fast", AdapterNames.Codex, "codex", "answering", "gpt-5.1-codex");

        using var cancel = new CancellationTokenSource();
        using var deadline = new CancellationTokenSource(AgentCli.Timeout * 2);
        var seen = new HashSet<int>();
        var sampling = SampleAgentProcessesAsync(harness.Root, seen, deadline.Token);
        var fastAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelWhenStalled = CancelWhenBothStalledAsync(harness.Mock, fastAnswered.Task, cancel, deadline.Token);

        var results = new List<TaskResult>();
        var request = new InvokeTaskRequest
        {
            Tasks = [new TaskSpec { Prompt = "wait for it" }], Agents = ["claude", "codex", "codex-fast"], Mode = TaskMode.Parallel,
            WorkingDirectory = harness.WorkingDirectory,
        };
        await foreach (var result in TaskOperations.For(harness.Session).InvokeAsync(request, SilentOperationContext.Instance, cancel.Token))
        {
            output.WriteLine($"{result.Agent} {result.Status} {result.ErrorId}: {result.Output}{result.Error}");
            results.Add(result);
            if (result.Agent == "codex-fast")
            {
                fastAnswered.TrySetResult();
            }
        }

        List<int> recorded;
        lock (seen)
        {
            recorded = [.. seen];
        }

        var left = await ProcessTree.WaitAllGoneAsync(recorded, TimeSpan.FromSeconds(1));
        output.WriteLine($"recorded {recorded.Count} agent processes ({string.Join(", ", recorded)}); left after 1 s: {left.Count}");
        await deadline.CancelAsync();
        await cancelWhenStalled;
        await sampling;

        Assert.True(cancel.IsCancellationRequested, "The run ended before both stalled agents reached the mock.");
        Assert.Empty(left.Select(Describe));
        Assert.NotEmpty(recorded);
        Assert.Equal(["claude", "codex", "codex-fast"], results.Select(r => r.Agent).Order());
        var finished = Assert.Single(results, r => r.Agent == "codex-fast");
        Assert.Equal((TaskState.Completed, "done before the cancel"), (finished.Status, finished.Output));
        Assert.All(results.Where(r => r.Agent != "codex-fast"), r =>
        {
            Assert.Equal(TaskState.Cancelled, r.Status);
            Assert.Equal(nameof(ErrorId.TaskCancelled), r.ErrorId);
        });
        Assert.Equal(-40104, ErrorId.TaskCancelled.Code());
    }

    /// <summary>Cancels (Ctrl+C) once codex-fast's result is in and both claude's and codex's requests sit at the stalled prefix.</summary>
    private static async Task CancelWhenBothStalledAsync(MockProviderServer mock, Task fastAnswered, CancellationTokenSource cancel, CancellationToken deadline)
    {
        bool Claude(RecordedRequest r) => r.Prefix == Stalled && r.Api == MockApi.AnthropicMessages;
        bool Codex(RecordedRequest r) => r.Prefix == Stalled && r.Path.EndsWith("/responses", StringComparison.Ordinal);
        try
        {
            await mock.WaitForRequestAsync(Claude, deadline);
            await mock.WaitForRequestAsync(Codex, deadline);
            await fastAnswered.WaitAsync(deadline);
            await cancel.CancelAsync();
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // The run ended first; the test's assertions say so.
        }
    }

    /// <summary>
    /// Collects, until <paramref name="stop"/>, every descendant of this test process whose environment names the
    /// harness's folder (the agents' HOME and CODEX_HOME live there), so another test's CLIs are not counted.
    /// </summary>
    private static async Task SampleAgentProcessesAsync(string root, HashSet<int> seen, CancellationToken stop)
    {
        var marker = Encoding.UTF8.GetBytes(root);
        while (!stop.IsCancellationRequested)
        {
            foreach (var pid in ProcessTree.WithDescendants(Environment.ProcessId).Skip(1))
            {
                if (EnvironmentNames(pid, marker))
                {
                    lock (seen)
                    {
                        seen.Add(pid);
                    }
                }
            }

            try
            {
                await Task.Delay(20, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static bool EnvironmentNames(int pid, byte[] marker)
    {
        try
        {
            return File.ReadAllBytes($"/proc/{pid}/environ").AsSpan().IndexOf(marker) >= 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Describe(int pid)
    {
        try
        {
            return $"{pid}: {File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ')}";
        }
        catch (IOException)
        {
            return $"{pid}: gone while described";
        }
    }
}
