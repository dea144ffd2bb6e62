using AiSwitch.Core.Hosting;

namespace AiSwitch.Core.Tests.Hosting;

public sealed class PipelineBridgeTests
{
    /// <summary>Records every call with the thread it arrived on, as PowerShell would require.</summary>
    private sealed class RecordingSink : IOperationSink
    {
        public List<(string Kind, object Value, int Thread)> Calls { get; } = [];

        public bool Answer { get; set; } = true;

        public void WriteObject(object item) => Add("object", item);

        public void WriteError(AiSwitchException error) => Add("error", error);

        public void WriteWarning(string message) => Add("warning", message);

        public void WriteVerbose(string message) => Add("verbose", message);

        public void WriteProgress(OperationProgress progress) => Add("progress", progress);

        public bool ShouldProcess(string target, string action)
        {
            Add("should", $"{action} {target}");
            return Answer;
        }

        private void Add(string kind, object value) => Calls.Add((kind, value, Environment.CurrentManagedThreadId));
    }

    [Fact]
    public void Every_write_arrives_on_the_calling_thread_in_order()
    {
        var sink = new RecordingSink();
        var caller = Environment.CurrentManagedThreadId;

        PipelineBridge.RunStream(sink, (context, ct) => Produce(context, ct), CancellationToken.None);

        Assert.All(sink.Calls, call => Assert.Equal(caller, call.Thread));
        Assert.Equal(["verbose", "object", "warning", "object", "error", "object"], sink.Calls.Select(c => c.Kind));
        Assert.Equal([1, 2, 3], sink.Calls.Where(c => c.Kind == "object").Select(c => (int)c.Value));

        static async IAsyncEnumerable<int> Produce(IOperationContext context, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            await Task.Yield();
            context.WriteVerbose("starting");
            yield return 1;
            await Task.Delay(1, ct);
            context.WriteWarning("halfway");
            yield return 2;
            context.WriteError(new AiSwitchException(ErrorId.PresetNotFound, "Preset 'x' not found.", "x"));
            yield return 3;
        }
    }

    [Fact]
    public void ShouldProcess_is_asked_on_the_calling_thread_and_its_answer_reaches_the_work()
    {
        var sink = new RecordingSink { Answer = false };
        var caller = Environment.CurrentManagedThreadId;

        var decided = PipelineBridge.Run(sink, async (context, ct) => await context.ShouldProcessAsync("gpt4", "Apply preset", ct), CancellationToken.None);

        Assert.False(decided);
        var ask = Assert.Single(sink.Calls);
        Assert.Equal(("should", "Apply preset gpt4", caller), (ask.Kind, (string)ask.Value, ask.Thread));
    }

    [Fact]
    public void A_core_error_thrown_by_the_work_reaches_the_caller_unwrapped()
    {
        var sink = new RecordingSink();

        var ex = Assert.Throws<AiSwitchException>(() => PipelineBridge.Run(sink,
            (_, _) => Task.FromException(new AiSwitchException(ErrorId.LockTimeout, "Timed out.")), CancellationToken.None));

        Assert.Equal(ErrorId.LockTimeout, ex.Id);
    }

    [Fact]
    public void Progress_is_throttled_per_activity_but_first_and_completed_records_always_arrive()
    {
        var sink = new RecordingSink();

        PipelineBridge.Run(sink, (context, _) =>
        {
            for (var i = 0; i < 1000; i++)
            {
                context.WriteProgress(new OperationProgress(1, "Running", $"step {i}", i / 10));
            }

            context.WriteProgress(new OperationProgress(1, "Running", "done", 100, Completed: true));
            return Task.CompletedTask;
        }, CancellationToken.None);

        var progress = sink.Calls.Where(c => c.Kind == "progress").Select(c => (OperationProgress)c.Value).ToList();
        Assert.InRange(progress.Count, 2, 20);
        Assert.Equal("step 0", progress[0].Status);
        Assert.True(progress[^1].Completed);
    }

    [Fact]
    public async Task Cancellation_reaches_the_work_and_surfaces_as_OperationCanceledException()
    {
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource();
        var started = new TaskCompletionSource();

        var run = Task.Run(() => PipelineBridge.Run(sink, async (context, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
        }, cts.Token));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        cts.Cancel();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(cts.Token, ex.CancellationToken);
    }

    [Fact]
    public void Work_that_ignores_cancellation_is_abandoned_after_the_grace_period_and_writes_nothing_afterwards()
    {
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource();
        using var release = new ManualResetEventSlim();
        var previousGrace = PipelineBridge.CancellationGrace;
        PipelineBridge.CancellationGrace = TimeSpan.FromMilliseconds(200);
        try
        {
            cts.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => PipelineBridge.Run(sink, (context, _) =>
            {
                release.Wait(TimeSpan.FromSeconds(30)); // deliberately deaf to the token
                context.WriteWarning("too late");
                return Task.CompletedTask;
            }, cts.Token));
        }
        finally
        {
            release.Set();
            PipelineBridge.CancellationGrace = previousGrace;
        }

        Assert.DoesNotContain(sink.Calls, c => c.Kind == "warning");
    }

    [Fact]
    public async Task A_sink_that_throws_cancels_the_work_before_the_exception_reaches_the_caller()
    {
        // PowerShell's -ErrorAction Stop throws out of WriteError; the agents behind the stream must not run on.
        var sink = new ThrowingOnErrorSink();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Assert.Throws<InvalidOperationException>(() => PipelineBridge.RunStream(sink, Stream, (s, item) =>
        {
            s.WriteObject(item);
            s.WriteError(new AiSwitchException(ErrorId.AgentReportedFailure, "failed", item));
        }, CancellationToken.None));

        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["first"], sink.Objects);

        async IAsyncEnumerable<string> Stream(IOperationContext context, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken token)
        {
            yield return "first";
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }

            yield return "never";
        }
    }

    private sealed class ThrowingOnErrorSink : IOperationSink
    {
        public List<object> Objects { get; } = [];

        public void WriteObject(object item) => Objects.Add(item);

        public void WriteError(AiSwitchException error) => throw new InvalidOperationException("stopped at " + error.Target);

        public void WriteWarning(string message)
        {
        }

        public void WriteVerbose(string message)
        {
        }

        public void WriteProgress(OperationProgress progress)
        {
        }

        public bool ShouldProcess(string target, string action) => true;
    }
}
