using System.Diagnostics;
using System.Text;
using AiSwitch.Core.Agents;

namespace AiSwitch.Core.Tests.Agents.Adapters;

/// <summary>
/// A stand-in for the registry's supervisor in adapter tests: starts the child with exactly the environment given,
/// keeps its stderr in memory, and kills its tree with Process.Kill. No pid files or log rotation: those are the
/// supervisor's, tested with it.
/// </summary>
internal sealed class TestProcessLauncher : IProcessLauncher
{
    private readonly List<TestProcess> _started = [];

    public IReadOnlyList<TestProcess> Started
    {
        get
        {
            lock (_started)
            {
                return [.. _started];
            }
        }
    }

    public AgentProcess Start(ProcessLaunchRequest request)
    {
        var info = new ProcessStartInfo(request.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = request.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in request.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach (var (name, value) in request.Environment)
        {
            info.Environment[name] = value;
        }

        var process = new TestProcess(request.AgentName, Process.Start(info) ?? throw new InvalidOperationException($"Could not start '{request.FileName}'."));
        lock (_started)
        {
            _started.Add(process);
        }

        return process;
    }

    internal sealed class TestProcess : AgentProcess
    {
        private readonly Process _process;
        private readonly StringBuilder _stderr = new();
        private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TestProcess(string agentName, Process process)
        {
            AgentName = agentName;
            _process = process;
            Pid = process.Id;
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (_stderr)
                    {
                        _stderr.AppendLine(e.Data);
                    }
                }
            };
            process.EnableRaisingEvents = true;
            process.Exited += (_, _) => _exited.TrySetResult(process.ExitCode);
            process.BeginErrorReadLine();
            if (process.HasExited)
            {
                _exited.TrySetResult(process.ExitCode);
            }
        }

        public override string AgentName { get; }

        public override int Pid { get; }

        public override int? ProcessGroup => null;

        public override DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

        public override Stream Stdin => _process.StandardInput.BaseStream;

        public override Stream Stdout => _process.StandardOutput.BaseStream;

        public override Task<int> Exited => _exited.Task;

        public string Stderr
        {
            get
            {
                lock (_stderr)
                {
                    return _stderr.ToString();
                }
            }
        }

        public override void KillTree()
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }

        public override async Task KillTreeAsync(TimeSpan grace, CancellationToken cancellationToken = default)
        {
            KillTree();
            await Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        public override async ValueTask DisposeAsync()
        {
            if (!Exited.IsCompleted)
            {
                KillTree();
                await Exited.ConfigureAwait(false);
            }

            _process.Dispose();
        }
    }
}
